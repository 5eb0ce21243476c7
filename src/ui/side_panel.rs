//! The right-hand panel: the chronological event list and the selected event's details.

use crate::describe::{
    CASUALTY_COLUMNS, border_distance_text, casualty_row, event_list_label, row_label,
    row_list_label, who_struck_whom,
};
use crate::model::StrikeEvent;
use crate::settings::MapLayerVisibility;
use crate::state::{AppState, Command, LayerContent, LayerLook};
use crate::text::thousands;
use crate::timeline::Statement;
use egui::{RichText, Ui};

pub fn side_panel_ui(
    ui: &mut Ui,
    state: &AppState,
    map_layers: MapLayerVisibility,
) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            super::case_editor::case_section_ui(ui, state, &mut commands);
            egui::CollapsingHeader::new("Layers")
                .default_open(false)
                .show(ui, |ui| layers_ui(ui, state, map_layers, &mut commands));
            ui.heading("Events");
            search_ui(ui, state, &mut commands);
            event_list_ui(ui, state, &mut commands);
            if let Some(listing) = state.row_listing() {
                ui.separator();
                row_listing_ui(ui, state, listing, &mut commands);
            }
            unlocated_features_ui(ui, state, &mut commands);
            ui.separator();
            if let Some(selected) = state.selected_row() {
                selected_row_ui(ui, state, selected, &mut commands);
                super::case_editor::selected_event_editor_ui(ui, state, &mut commands);
                return;
            }
            match (
                state.selected(),
                state.selected_statement(),
                state.selected_feature(),
            ) {
                (Some(event), _, _) => event_details_ui(ui, state, event, &mut commands),
                (None, Some(statement), _) => statement_details_ui(ui, statement, &mut commands),
                (None, None, Some((layer, name, feature))) => {
                    feature_details_ui(ui, layer, name, feature);
                }
                (None, None, None) => {
                    ui.label(
                        RichText::new("Click a marker or an event above to read its details.")
                            .italics(),
                    );
                }
            }
            super::case_editor::selected_event_editor_ui(ui, state, &mut commands);
            super::strike_history::strike_history_ui(ui, state, &mut commands);
        });
    commands
}

fn layers_ui(
    ui: &mut Ui,
    state: &AppState,
    map_layers: MapLayerVisibility,
    commands: &mut Vec<Command>,
) {
    // Events first, then large tables, then overlays; each kind in loading order.
    let mut layers: Vec<&crate::state::Layer> = state.layers.iter().collect();
    layers.sort_by_key(|layer| match layer.content {
        LayerContent::Events(_) => 0,
        LayerContent::Table(_) => 1,
        LayerContent::Overlay(_) => 2,
        LayerContent::Imagery(_) => 3,
    });
    for layer in layers {
        let label = match &layer.content {
            LayerContent::Events(events) => format!("{} ({} events)", layer.name, events.len()),
            LayerContent::Table(content) => format!(
                "{} ({} {})",
                layer.name,
                thousands(content.table.len()),
                match content.table.kind {
                    crate::table::TableKind::Points => "points",
                    _ => "events",
                }
            ),
            LayerContent::Overlay(overlay) => {
                format!(
                    "{} ({} features)",
                    layer.name,
                    overlay.features.len() + overlay.unlocated.len()
                )
            }
            LayerContent::Imagery(tiff) => super::imagery_panel::layer_label(layer, tiff),
        };
        let (id, removable) = (layer.id, layer.path.is_some());
        let LayerLook {
            visible,
            color,
            opacity,
        } = layer.look;
        ui.horizontal(|ui| {
            let mut visible = visible;
            if ui.checkbox(&mut visible, &label).changed() {
                commands.push(Command::SetLayerVisible(id, visible));
            }
            let mut rgb = color;
            let picker = ui.color_edit_button_srgb(&mut rgb);
            picker.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Colour of {label}"))
            });
            if rgb != color {
                commands.push(Command::SetLayerColor(id, rgb));
            }
            let mut value = opacity;
            let slider = ui.add(egui::Slider::new(&mut value, 0.0..=1.0).show_value(false));
            slider.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Slider, true, format!("Opacity of {label}"))
            });
            if value != opacity {
                commands.push(Command::SetLayerOpacity(id, value));
            }
            if ui.small_button("Zoom to").clicked() {
                commands.push(Command::ZoomToLayer(id));
            }
            if removable && ui.small_button("Remove").clicked() {
                commands.push(Command::RemoveLayer(id));
            }
        });
    }
    super::imagery_panel::compare_ui(ui, state, commands);
    let mut changed = map_layers;
    ui.checkbox(&mut changed.provinces, "Provinces (Natural Earth)");
    ui.checkbox(&mut changed.uncertainty, "Location uncertainty circles");
    ui.checkbox(
        &mut changed.basemap_labels,
        "Place and country names (offline basemap)",
    );
    ui.checkbox(&mut changed.locator_inset, "Locator inset");
    if changed != map_layers {
        commands.push(Command::SetMapLayers(changed));
    }
}

fn search_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let mut query = state.search().to_owned();
        let field = ui.add(
            egui::TextEdit::singleline(&mut query)
                .hint_text("Search place, actor or source")
                .desired_width(260.0),
        );
        field.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Search events")
        });
        if query != state.search() {
            commands.push(Command::SetSearch(query));
        }
        if !state.search().is_empty() && ui.small_button("Clear").clicked() {
            commands.push(Command::SetSearch(String::new()));
        }
    });
}

fn feature_details_ui(
    ui: &mut Ui,
    layer: crate::state::LayerId,
    layer_name: &str,
    feature: &crate::import::OverlayFeature,
) {
    ui.heading(feature.label());
    ui.label(RichText::new(format!("Feature {} of {}", feature.index, layer_name)).weak());
    if matches!(&feature.geometry, geo::Geometry::GeometryCollection(parts) if parts.0.is_empty()) {
        ui.label("Not on the map: the file gives this feature no location (null geometry).");
    }
    let lines = feature.property_lines();
    if lines.is_empty() {
        ui.label("No properties.");
    }
    properties_grid(ui, ("feature-properties", layer, feature.index), &lines);
}

/// The features of visible overlays that have no location (`"geometry": null`): not on the
/// map, so listed here; choosing one shows its properties.
fn unlocated_features_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let selected = match state.selection() {
        crate::state::Selection::Feature(layer, index) => Some((*layer, *index)),
        _ => None,
    };
    for (layer, overlay) in state
        .overlays()
        .filter(|(layer, overlay)| layer.look.visible && !overlay.unlocated.is_empty())
    {
        ui.separator();
        let heading = format!(
            "{}: {} without a location (not on the map)",
            layer.name,
            thousands(overlay.unlocated.len())
        );
        egui::CollapsingHeader::new(heading)
            .id_salt(("unlocated", layer.id))
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt(("unlocated-list", layer.id))
                    .max_height(220.0)
                    .show(ui, |ui| {
                        for feature in &overlay.unlocated {
                            let is_selected = selected == Some((layer.id, feature.index));
                            let label = format!("Feature {}: {}", feature.index, feature.label());
                            if ui.selectable_label(is_selected, label).clicked() {
                                commands.push(Command::SelectFeature(layer.id, feature.index));
                            }
                        }
                    });
            });
    }
}

/// Name–value lines as a two-column table.
fn properties_grid(
    ui: &mut Ui,
    id: impl std::hash::Hash + std::fmt::Debug,
    lines: &[(String, String)],
) {
    egui::Grid::new(id)
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (name, value) in lines {
                ui.label(RichText::new(name).strong());
                ui.label(value);
                ui.end_row();
            }
        });
}

/// The rows of a clicked cluster, each a button that selects it.
fn row_listing_ui(
    ui: &mut Ui,
    state: &AppState,
    listing: &crate::state::RowListing,
    commands: &mut Vec<Command>,
) {
    let Some((layer, content)) = state.table(listing.layer) else {
        return;
    };
    let total = thousands(listing.total);
    let (heading, rest) = match &listing.reason {
        crate::state::ListingReason::Cluster => (
            format!("{total} events in this cluster ({})", layer.name),
            "zoom in to see the rest",
        ),
        crate::state::ListingReason::Search(query) => (
            format!(
                "{total} events in {} with {query:?} in their id",
                layer.name
            ),
            "search for more of the id",
        ),
    };
    ui.strong(heading);
    if listing.total > listing.rows.len() {
        ui.label(
            RichText::new(format!(
                "The first {} by date are listed; {rest}.",
                listing.rows.len()
            ))
            .weak(),
        );
    }
    let selected = state
        .selected_row()
        .map(|selected| (selected.layer, selected.row));
    egui::ScrollArea::vertical()
        .id_salt("cluster-rows")
        .max_height(220.0)
        .show(ui, |ui| {
            for &row in &listing.rows {
                let label = row_list_label(&content.table, row);
                let is_selected = selected == Some((layer.id, row));
                if ui
                    .selectable_label(is_selected, &label)
                    .on_hover_text("Select and centre the map on this event")
                    .clicked()
                {
                    commands.push(Command::SelectRowAndCenter(layer.id, row));
                }
            }
        });
}

/// The selected row of a large file: its full record, read from the file.
fn selected_row_ui(
    ui: &mut Ui,
    state: &AppState,
    selected: &crate::state::SelectedRow,
    commands: &mut Vec<Command>,
) {
    let Some((layer, content)) = state.table(selected.layer) else {
        return;
    };
    let Some(record) = &selected.record else {
        ui.heading(row_label(&layer.name, &content.table, selected.row));
        ui.spinner();
        ui.label(RichText::new("Reading the record from the file…").weak());
        return;
    };
    match record {
        Ok(crate::table::Record::Event(event)) => event_details_ui(ui, state, event, commands),
        Ok(crate::table::Record::Properties(lines)) => {
            let label = content.table.label(selected.row);
            ui.heading(if label.is_empty() {
                format!("Row {}", selected.row)
            } else {
                label.to_owned()
            });
            ui.label(RichText::new(format!("A point of {}", layer.name)).weak());
            if let Some(position) = content.table.position(selected.row) {
                ui.label(format!("{:.5}° N, {:.5}° E", position.lat, position.lon));
            }
            properties_grid(ui, ("row-properties", layer.id, selected.row), lines);
        }
        Err(message) => {
            ui.heading(row_label(&layer.name, &content.table, selected.row));
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
    }
}

fn event_list_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let shown = state.shown_events();
    if shown.is_empty() {
        ui.label("No events shown (none loaded, layers hidden, or outside the time range).");
    }
    for (event_ref, event) in shown {
        let selected = state.is_selected(&event_ref);
        let country = crate::markers::event_style(state, &event_ref, event);
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(16.0, 16.0), egui::Sense::hover());
            crate::markers::paint_marker(
                ui.painter(),
                rect.center(),
                6.0,
                country.marker,
                country.color,
                false,
            );
            if ui
                .selectable_label(selected, event_list_label(event))
                .on_hover_text("Select and centre the map on this event")
                .clicked()
            {
                commands.push(Command::SelectAndCenter(event_ref.clone()));
            }
        });
    }
}

fn statement_details_ui(ui: &mut Ui, statement: &Statement, commands: &mut Vec<Command>) {
    ui.heading(&statement.title);
    ui.add_space(4.0);
    let mut date = statement.date.to_string();
    if let Some(time) = &statement.time_as_reported {
        date.push_str(&format!(", {time}"));
    }
    fact_ui(ui, "Date", &date, &[]);
    fact_ui(ui, "By", &statement.by, &[]);
    let keys: Vec<String> = statement
        .sources
        .iter()
        .map(|source| source.key.clone())
        .collect();
    fact_ui(ui, "What was said or done", &statement.detail, &keys);
    if let Some(caveat) = &statement.caveat {
        ui.label(RichText::new(format!("Caveat: {caveat}")).italics());
    }
    ui.label(
        RichText::new("A statement on the timeline: it has no place on the map.")
            .small()
            .weak(),
    );
    if !statement.sources.is_empty() {
        ui.add_space(8.0);
        ui.strong("Sources");
        sources_ui(ui, &statement.sources, commands);
    }
}

fn event_details_ui(
    ui: &mut Ui,
    state: &AppState,
    event: &StrikeEvent,
    commands: &mut Vec<Command>,
) {
    let p = &event.properties;
    ui.heading(event.title());
    ui.add_space(4.0);
    fact_ui(ui, "Date", &event.date.to_string(), &[]);
    if let Some(time) = &p.time_as_reported {
        fact_ui(ui, "Time as reported", time, &p.time_sources);
    }
    let mut strike = who_struck_whom(event);
    if let Some(detail) = &p.attacker_detail {
        strike.push_str(&format!(" ({detail})"));
    }
    fact_ui(ui, "Who struck whom", &strike, &p.attacker_sources);
    if let Some(event_type) = &p.event_type {
        let mut text = event_type.clone();
        if let Some(sub) = &p.sub_event_type {
            text.push_str(&format!(" / {sub}"));
        }
        fact_ui(ui, "Event type", &text, &[]);
    }
    if let Some(notes) = &p.notes {
        fact_ui(ui, "Notes", notes, &[]);
    }
    fact_ui(
        ui,
        "Place",
        // Imported rows may leave district or province empty.
        &[&p.district, &p.province, &p.target_country]
            .into_iter()
            .filter(|part| !part.trim().is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        &[],
    );
    fact_ui(
        ui,
        "Place as reported",
        &p.place_as_reported,
        &p.place_sources,
    );
    fact_ui(
        ui,
        "Location precision",
        &format!(
            "{} (ACLED geo_precision {})",
            p.location.in_words(),
            p.location.geo_precision
        ),
        &[],
    );
    ui.label(RichText::new(&p.location.basis).small().weak());
    if let Some(text) = border_distance_text(state, event) {
        fact_ui(ui, "Distance to the border", &text, &[]);
    }
    if let Some(weapons) = &p.weapons {
        let mut text = weapons.clone();
        if let Some(detail) = &p.weapons_detail {
            text.push_str(&format!("; {detail}"));
        }
        fact_ui(ui, "Weapons", &text, &p.weapons_sources);
    }
    if let Some(target) = &p.claimed_target {
        fact_ui(ui, "Claimed target", target, &p.claimed_target_sources);
    }
    fact_ui(
        ui,
        "Operation",
        p.operation.as_deref().unwrap_or("not named"),
        &p.operation_sources,
    );

    ui.add_space(8.0);
    ui.strong("Casualty claims (one row per claimant, not merged)");
    casualty_table_ui(ui, event);

    if !p.conflict_notes.is_empty() {
        ui.add_space(6.0);
        ui.strong("Where sources conflict");
        for note in &p.conflict_notes {
            ui.label(format!("• {note}"));
        }
    }

    ui.add_space(8.0);
    ui.strong("Sources");
    sources_ui(ui, &p.sources, commands);

    if !p.raw.is_empty() {
        ui.add_space(8.0);
        egui::CollapsingHeader::new("Raw row as imported")
            .id_salt(("raw-row", event.id()))
            .show(ui, |ui| {
                egui::Grid::new(("raw-row-grid", event.id()))
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (column, value) in &p.raw {
                            ui.label(RichText::new(column).monospace());
                            ui.label(value);
                            ui.end_row();
                        }
                    });
            });
    }
}

fn sources_ui(ui: &mut Ui, sources: &[crate::model::Source], commands: &mut Vec<Command>) {
    for source in sources {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&source.key).monospace().strong());
            ui.label(format!("{}, {}:", source.outlet, source.date_text()));
            match (&source.title, &source.note) {
                (Some(title), _) => ui.label(RichText::new(format!("“{title}”")).italics()),
                (None, Some(note)) => ui.label(note),
                (None, None) => ui.label("untitled"),
            };
            if let Some(url) = source.browsable_url() {
                if ui
                    .link(format!("Open {}", source.key))
                    .on_hover_text(url)
                    .clicked()
                {
                    commands.push(Command::OpenUrl(url.to_owned()));
                }
            } else if let Some(via) = &source.read_via {
                ui.label(RichText::new(format!("(read via {via})")).weak());
            }
        });
        super::source_evidence::provenance_lines_ui(ui, source, commands);
    }
}

/// A fact as a small heading over its value, with the keys of the sources that support it.
fn fact_ui(ui: &mut Ui, name: &str, value: &str, sources: &[String]) {
    ui.add_space(3.0);
    ui.label(RichText::new(name).small().strong());
    let mut text = value.to_owned();
    if !sources.is_empty() {
        text.push_str(&format!("  [{}]", sources.join(", ")));
    }
    ui.label(text);
}

fn casualty_table_ui(ui: &mut Ui, event: &StrikeEvent) {
    egui::ScrollArea::horizontal()
        .id_salt("casualty-table-scroll")
        .show(ui, |ui| {
            egui::Grid::new(("casualty-table", event.id()))
                .num_columns(CASUALTY_COLUMNS.len())
                .striped(true)
                .spacing([8.0, 3.0])
                .show(ui, |ui| {
                    for header in CASUALTY_COLUMNS {
                        ui.label(RichText::new(header).strong());
                    }
                    ui.end_row();
                    for claim in &event.properties.casualty_claims {
                        for (column, cell) in casualty_row(claim).into_iter().enumerate() {
                            let response = ui.label(cell);
                            match column {
                                0 => {
                                    if let Some(note) = &claim.note {
                                        response.on_hover_text(note);
                                    }
                                }
                                1 => {
                                    if let Some(source) = event.source(&claim.source) {
                                        response.on_hover_text(format!(
                                            "{}, {}",
                                            source.outlet,
                                            source.date_text()
                                        ));
                                    }
                                }
                                _ => {}
                            }
                        }
                        ui.end_row();
                    }
                });
        });
    ui.label(
        RichText::new(
            "≥ = \"at least\"; k = killed, i = injured; – = not given. \
             Hover a claimant for the quote, a key for the source.",
        )
        .small()
        .weak(),
    );
}
