//! The geometry layers of the asset and the kind of geometry each holds.

/// The geometry layers of the asset, in the order they are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Land polygons; sea is everything else.
    Land,
    /// Playas and salt flats.
    Playas,
    /// Rivers and lake centre-lines.
    Rivers,
    /// Lakes and reservoirs.
    Lakes,
    /// Coastline lines.
    Coastline,
    /// Internal first-level (state/province) boundaries, world-wide (detail band only).
    Admin1Lines,
    /// Admin-0 boundaries (international, line of control, disputed, indefinite).
    Borders,
}

impl Layer {
    /// Every layer, in drawing order.
    pub const ALL: [Layer; 7] = [
        Layer::Land,
        Layer::Playas,
        Layer::Rivers,
        Layer::Lakes,
        Layer::Coastline,
        Layer::Admin1Lines,
        Layer::Borders,
    ];

    /// The layer of an asset layer id (id 2, the regional asset's focus countries, is retired).
    pub(super) fn from_id(layer_id: u8) -> Option<Layer> {
        match layer_id {
            1 => Some(Layer::Land),
            3 => Some(Layer::Lakes),
            4 => Some(Layer::Playas),
            5 => Some(Layer::Coastline),
            6 => Some(Layer::Borders),
            7 => Some(Layer::Admin1Lines),
            8 => Some(Layer::Rivers),
            _ => None,
        }
    }

    pub(super) fn index(self) -> usize {
        match self {
            Layer::Land => 0,
            Layer::Playas => 1,
            Layer::Rivers => 2,
            Layer::Lakes => 3,
            Layer::Coastline => 4,
            Layer::Admin1Lines => 5,
            Layer::Borders => 6,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Layer::Land => "land layer",
            Layer::Playas => "playas layer",
            Layer::Rivers => "rivers layer",
            Layer::Lakes => "lakes layer",
            Layer::Coastline => "coastline layer",
            Layer::Admin1Lines => "admin-1 lines layer",
            Layer::Borders => "borders layer",
        }
    }

    pub(super) fn geometry_kind(self) -> GeometryKind {
        match self {
            Layer::Land | Layer::Playas | Layer::Lakes => GeometryKind::Polygons,
            Layer::Rivers | Layer::Coastline | Layer::Admin1Lines | Layer::Borders => {
                GeometryKind::Lines
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GeometryKind {
    /// Parts are closed rings (closing point not repeated).
    Polygons,
    /// Parts are open polylines.
    Lines,
}
