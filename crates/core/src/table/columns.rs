//! A table's rows while they are added: one vector per column, class names interned.

use super::NO_DAY;
use crate::model::{Date, LonLat, StrikeEvent};

/// Where a row is in its file, to read it again when it is clicked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub offset: u64,
    pub len: u32,
}

/// What is kept of one row.
pub(crate) struct NewRow<'a> {
    pub position: LonLat,
    pub date: Option<Date>,
    pub radius_km: Option<f64>,
    pub class: Option<&'a str>,
    pub label: &'a str,
    pub span: Span,
}

impl<'a> NewRow<'a> {
    /// The row of a checked event.
    pub fn of_event(event: &'a StrikeEvent, span: Span) -> Self {
        Self {
            position: event.position,
            date: Some(event.date),
            radius_km: Some(event.properties.location.radius_km),
            class: event.attacker(),
            label: event.id(),
            span,
        }
    }
}

/// One row while loading, before the rows are sorted by date.
#[derive(Clone, Debug, Default)]
pub(crate) struct RowColumns {
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
    pub day: Vec<i32>,
    /// Radius of the area the event is known to, in km; NaN when the row does not say.
    pub radius_km: Vec<f32>,
    /// Index into `classes`, 0 for none.
    pub class: Vec<u16>,
    /// Class names; index 0 is "" (no class).
    pub classes: Vec<String>,
    /// Each class name's index in `classes`, to intern a row's class in constant time.
    class_ids: crate::fast_hash::FastHashMap<String, u16>,
    pub labels: String,
    pub label_ends: Vec<u32>,
    pub spans: Vec<Span>,
}

impl RowColumns {
    pub fn new() -> Self {
        Self {
            classes: vec![String::new()],
            ..Self::default()
        }
    }

    pub fn len(&self) -> usize {
        self.lon.len()
    }

    pub fn push(&mut self, row: NewRow<'_>) {
        let NewRow {
            position,
            date,
            radius_km,
            class,
            label,
            span,
        } = row;
        self.lon.push(position.lon);
        self.lat.push(position.lat);
        self.radius_km
            .push(radius_km.map_or(f32::NAN, |km| km as f32));
        self.day
            .push(date.map_or(NO_DAY, |date| date.days_since_unix_epoch() as i32));
        let class = class.map_or(0, |name| self.intern_class(name));
        self.class.push(class);
        self.labels.push_str(label);
        self.label_ends.push(self.labels.len() as u32);
        self.spans.push(span);
    }

    pub fn label(&self, row: usize) -> &str {
        let end = self.label_ends.get(row).copied().unwrap_or(0) as usize;
        let start = row
            .checked_sub(1)
            .and_then(|previous| self.label_ends.get(previous))
            .copied()
            .unwrap_or(0) as usize;
        self.labels.get(start..end).unwrap_or("")
    }

    /// The index of a class name, added if new; 0 (none) for "" and once `u16` is full.
    fn intern_class(&mut self, name: &str) -> u16 {
        if name.is_empty() {
            return 0;
        }
        if let Some(&index) = self.class_ids.get(name) {
            return index;
        }
        let Ok(index) = u16::try_from(self.classes.len()) else {
            return 0;
        };
        if index == u16::MAX {
            return 0;
        }
        self.classes.push(name.to_owned());
        self.class_ids.insert(name.to_owned(), index);
        index
    }

    /// Appends another part's rows (its classes renumbered into ours).
    pub fn append(&mut self, other: RowColumns) {
        let renumber: Vec<u16> = other
            .classes
            .iter()
            .map(|name| self.intern_class(name))
            .collect();
        let label_base = self.labels.len() as u32;
        self.lon.extend(other.lon);
        self.lat.extend(other.lat);
        self.day.extend(other.day);
        self.radius_km.extend(other.radius_km);
        self.class.extend(
            other
                .class
                .into_iter()
                .map(|class| renumber.get(usize::from(class)).copied().unwrap_or(0)),
        );
        self.labels.push_str(&other.labels);
        self.label_ends
            .extend(other.label_ends.into_iter().map(|end| end + label_base));
        self.spans.extend(other.spans);
    }

    /// Keeps only the rows for which `keep` is true, in order.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        let mut kept = RowColumns {
            classes: std::mem::take(&mut self.classes),
            class_ids: std::mem::take(&mut self.class_ids),
            ..RowColumns::default()
        };
        for (row, _) in keep.iter().enumerate().filter(|(_, keep)| **keep) {
            kept.lon.push(self.lon[row]);
            kept.lat.push(self.lat[row]);
            kept.day.push(self.day[row]);
            kept.radius_km.push(self.radius_km[row]);
            kept.class.push(self.class[row]);
            kept.labels.push_str(self.label(row));
            kept.label_ends.push(kept.labels.len() as u32);
            kept.spans.push(self.spans[row]);
        }
        *self = kept;
    }

    /// Puts the rows in date order (undated last); rows of the same day keep file order.
    pub(super) fn sort_by_date(self) -> Self {
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_by_key(|&row| self.day[row as usize]);
        // The lookup of class names is only needed while rows are added.
        let mut sorted = RowColumns {
            classes: self.classes.clone(),
            ..RowColumns::default()
        };
        sorted.lon = order.iter().map(|&row| self.lon[row as usize]).collect();
        sorted.lat = order.iter().map(|&row| self.lat[row as usize]).collect();
        sorted.day = order.iter().map(|&row| self.day[row as usize]).collect();
        sorted.radius_km = order
            .iter()
            .map(|&row| self.radius_km[row as usize])
            .collect();
        sorted.class = order.iter().map(|&row| self.class[row as usize]).collect();
        sorted.spans = order.iter().map(|&row| self.spans[row as usize]).collect();
        sorted.labels.reserve(self.labels.len());
        sorted.label_ends.reserve(self.len());
        for &row in &order {
            sorted.labels.push_str(self.label(row as usize));
            sorted.label_ends.push(sorted.labels.len() as u32);
        }
        sorted
    }

    pub(super) fn shrink_to_fit(&mut self) {
        self.lon.shrink_to_fit();
        self.lat.shrink_to_fit();
        self.day.shrink_to_fit();
        self.radius_km.shrink_to_fit();
        self.class.shrink_to_fit();
        self.labels.shrink_to_fit();
        self.label_ends.shrink_to_fit();
        self.spans.shrink_to_fit();
    }
}
