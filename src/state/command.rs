//! Everything a user can ask for, as one type: the panels, the map, the keys and playback
//! return [`Command`]s, and `StrikemapApp::apply` carries each out in one place (the state's
//! part through [`super::AppState::apply`]).

use super::LayerId;
use super::layers::EventRef;
use crate::export::EventsFormat;
use crate::geometry::GeoBounds;
use crate::model::{Date, LonLat};
use crate::settings::{MapLayerVisibility, TileSourceChoice};
use std::path::PathBuf;
use strikemap_core::case::edit::{Edit, SourceOwner};

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    // --- Selection and the story ---
    /// Select an event (from a marker or the list).
    Select(EventRef),
    /// Select an event and centre the map on it (from the event list).
    SelectAndCenter(EventRef),
    ClearSelection,
    /// Select a statement of the timeline (it has no place on the map).
    SelectStatement(String),
    /// Select a feature of an overlay (by layer and feature index in the file).
    SelectFeature(LayerId, usize),
    /// Select a row of a table layer (its record is read from the file off the UI thread).
    SelectRow(LayerId, u32),
    /// Select a row of a table layer and centre the map on it (from a list).
    SelectRowAndCenter(LayerId, u32),
    /// List rows of a table layer in the side panel (a cluster's members): layer, the rows, and
    /// how many the cluster holds.
    ListRows(LayerId, Vec<u32>, usize),
    /// Select the next / previous item of the story (events and statements in time order)
    /// and fly the map to it.
    StepForward,
    StepBack,
    /// Start or stop stepping through the story every few seconds.
    TogglePlay,

    // --- Filters ---
    /// Filter the event list by place, actor or source ("" shows all).
    SetSearch(String),
    /// Show only events from `start` to `end` (inclusive); `None` shows all.
    SetTimeWindow(Option<(Date, Date)>),

    // --- The view ---
    /// Frame the map on every shown event.
    FitToEvents,
    /// The opening view: the case's saved view, else the provinces and events (Home, and a
    /// deck's first page).
    FitToOverview,
    /// Back to the opening view, forgetting the saved one.
    ResetView,
    /// Centre the map on a place at a zoom (clicking a cluster zooms in on it).
    ZoomInOn {
        center: LonLat,
        zoom: f64,
    },
    /// Centre the map on a place, keeping the zoom (a strike placed by a typed position).
    ShowPlace(LonLat),

    // --- The measure tool (state/measure.rs) ---
    /// "Measure" (M): clicks on the map add points; each leg's geodesic length and bearing
    /// and the total are shown, live to the pointer.
    StartMeasuring,
    /// A click on the map while measuring.
    AddMeasurePoint(LonLat),
    /// Esc or "Done": no more points; the result stays shown to copy or keep.
    FinishMeasuring,
    /// "Close" (or Esc once finished): the measurement goes.
    StopMeasuring,
    /// "Copy measurement": its points, legs and total as text on the clipboard (the shell's).
    CopyMeasurement,
    /// "Keep as line": the measured points become a line annotation of the case.
    KeepMeasurementAsLine,

    // --- Drawing annotations (state/annotations.rs) ---
    /// "Add arrow", "Add callout"…: clicks on the map (or typed positions) give its points.
    StartAnnotation(strikemap_core::case::annotation::Kind),
    AddAnnotationPoint(LonLat),
    /// "Finish": the points given become the annotation (one undo step).
    FinishAnnotation,
    CancelAnnotation,

    // --- Layers ---
    SetLayerVisible(LayerId, bool),
    SetLayerColor(LayerId, [u8; 3]),
    SetLayerOpacity(LayerId, f32),
    /// Compare two imagery layers with a swipe bar (left of it, right of it), or stop.
    CompareImagery(Option<(LayerId, LayerId)>),
    /// The swipe bar dragged: where it stands, as a fraction of the map's width.
    SetImagerySplit(f32),
    RemoveLayer(LayerId),
    ZoomToLayer(LayerId),
    /// Which of the fixed map layers (provinces, uncertainty, basemap labels) are drawn.
    SetMapLayers(MapLayerVisibility),

    // --- Files, basemap, presentation and output (carried out by the app shell) ---
    /// Show the system's Open dialog.
    ShowOpenDialog,
    /// Load files (from the Open dialog, a drop or the recent files).
    OpenFiles(Vec<PathBuf>),
    /// Stop the files that are loading.
    CancelLoading,
    ChooseBasemap(TileSourceChoice),
    /// Open the dialog that asks for a custom XYZ URL.
    AskForCustomUrl,
    /// The caveat or classification line for presentations and exports.
    SetCaveat(String),
    /// The organisation's PowerPoint template for decks (`None`: Strikemap's own layout).
    SetDeckTemplate(Option<PathBuf>),
    /// Enter / leave presentation mode.
    Present,
    StopPresenting,
    /// "Open basemap…": a PMTiles or MBTiles file to draw over the offline map.
    ShowOpenBasemapDialog,
    ExportImage,
    /// "Export deck…": a PDF with a page per story step.
    ExportDeck,
    CopyImage,
    /// Save the shown events as GeoJSON (app schema) or CSV.
    ExportEvents(EventsFormat),
    /// Save the shown events of the case (not large layers' rows) as KML, or zipped as KMZ,
    /// for Google Earth: each a placemark with its claims and sources.
    ExportKml {
        kmz: bool,
    },
    /// Open a source's web page in the system browser.
    OpenUrl(String),
    /// Clear the problems and notices shown under the map.
    DismissMessages,

    // --- The case: files (the app shell's) and edits (the state's) ---
    /// "New case": an empty case (asks first when the open one has unsaved changes).
    NewCase,
    /// "Open case…": the system's Open dialog for a case file.
    ShowOpenCaseDialog,
    /// Open a case file in place of the open case (asks first about unsaved changes).
    OpenCase(PathBuf),
    /// "Save": over the case's file, or "Save as…" when it has none.
    SaveCase,
    /// "Save as…": the system's Save dialog.
    ShowSaveCaseAsDialog,
    /// An edit of the case, as one undo step.
    EditCase(Edit),
    /// An edit typed into a field: merged into one undo step with the keystrokes before it.
    TypeInCase(Edit),
    /// The field typed into lost focus: the next keystroke starts a new undo step.
    SealCaseTyping,
    UndoCase,
    RedoCase,
    /// "Add strike": the next click on the map places a new strike there.
    StartPlacingStrike,
    CancelPlacing,
    /// A click on the map while placing a strike: a new strike there, selected.
    PlaceStrike(LonLat),
    /// A position typed while placing a strike (read as `position`): a new strike there,
    /// selected, whose location basis quotes what was typed.
    PlaceStrikeAsTyped {
        position: LonLat,
        typed: String,
    },
    /// "Remove from case": a layer of the case whose file could not be read is dropped from it.
    ForgetCaseLayer(PathBuf),
    /// The answer to "Load these layers?" for a case's layers outside its folder: load them
    /// (`true`; the shell remembers the case as trusted) or leave them unloaded.
    AnswerOutsideCaseLayers {
        load: bool,
    },
    /// "Add to case": the selected imported event (ACLED, UCDP) becomes a strike of the case.
    AddSelectedToCase,
    /// The answer to "Save the changes?" (before closing, or opening or starting another case).
    AnswerUnsaved(UnsavedAnswer),
    /// The answer to "Restore unsaved work from HH:MM?": restore it (true) or discard it.
    AnswerRestore(bool),

    // --- Evidence and case bundles (`case_evidence`; the dialogs are the app shell's) ---
    /// "Attach evidence…" on a source: the system's file dialog, then [`Self::AttachEvidence`].
    ShowAttachEvidenceDialog {
        owner: SourceOwner,
        source: usize,
    },
    /// Hashes the file and adds it to the source's evidence (an undo step).
    AttachEvidence {
        owner: SourceOwner,
        source: usize,
        path: PathBuf,
    },
    /// Hashes every evidence file again; a missing or changed one is a problem at its source.
    CheckEvidence,
    /// File › Export case bundle…
    ShowExportBundleDialog,
    /// File › Open case bundle…
    ShowOpenBundleDialog,
    /// Writes the open case with its layers' and evidence files as a bundle here.
    ExportCaseBundle(PathBuf),
    /// Unpacks the bundle into the folder, checks its hashes and opens its case.
    OpenCaseBundle {
        bundle: PathBuf,
        folder: PathBuf,
    },

    // --- The team store ---
    /// File › Open from team store… (`publish: false`) or Publish to team store… (`true`).
    ShowTeamStoreDialog {
        publish: bool,
    },
    /// Open a store case (now, or as it stood at a past time) in place of the open case.
    OpenStoreCase(crate::team::StoreCaseAddress),
    /// The first clash with others' edits is settled so.
    ResolveClash(crate::team::Resolution),
    /// Show the history of a strike of a store case.
    ShowStrikeHistory(String),
}

/// The answers to "Save the changes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedAnswer {
    Save,
    Discard,
    Cancel,
}

/// A change of the map view the map widget must carry out on its next frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ViewRequest {
    Fit(GeoBounds),
    CenterOn(LonLat),
    Show {
        center: LonLat,
        zoom: f64,
    },
    /// Fly smoothly to a place, framing `radius_km` around it and `also` (the nearest border
    /// point, whose distance line is drawn).
    FlyTo {
        center: LonLat,
        radius_km: f64,
        also: Option<LonLat>,
    },
    /// Fly smoothly to frame a box (a statement's parties) in the room the furniture leaves.
    FlyToBounds(GeoBounds),
}
