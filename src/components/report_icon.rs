//! The icon of a report category in the grid, picked from words of its code so a commune's own
//! categories (`voirie-chaussee`, `eclairage`…) still get a fitting one; a generic warning sign
//! otherwise. Decorative: the category's name is beside it.

/// The SVG path (24×24 grid, stroked) for a category code.
pub fn path(code: &str) -> &'static str {
    const ICONS: [(&str, &str); 9] = [
        // A lamp post.
        ("eclairage", "M9 21h6M12 21V9M8 5h8l-1.5 4h-5zM12 3v2"),
        // A bin.
        (
            "depot",
            "M4 7h16M9 7V4h6v3M6 7l1 14h10l1-14M10 11v6M14 11v6",
        ),
        // A broom.
        ("proprete", "M14 3l-4 9M7 12h7l2 9H5zM9 16v5M12 16v5"),
        // A tree.
        (
            "vert",
            "M12 21v-6M12 3a6 6 0 0 1 6 6 5 5 0 0 1-6 6 5 5 0 0 1-6-6 6 6 0 0 1 6-6z",
        ),
        // A bench.
        ("mobilier", "M4 11h16M5 15h14M6 15v5M18 15v5M6 11V7h12v4"),
        // A spray can.
        ("tag", "M8 9h6v12H8zM9 9V6h4v3M16 5h1M18 3h1M18 7h1M20 5h1"),
        // A road sign.
        ("signal", "M12 2l8 8-8 8-8-8zM12 18v4M12 7v4M12 13.5v.5"),
        // A road.
        ("voirie", "M8 3 5 21M16 3l3 18M12 4v3M12 10v3M12 16v3"),
        // Water.
        ("eau", "M12 3s6 7 6 11a6 6 0 0 1-12 0c0-4 6-11 6-11z"),
    ];
    ICONS
        .iter()
        .find(|(word, _)| code.contains(word))
        .map_or("M12 3 2 20h20zM12 10v4M12 17v.5", |(_, d)| d)
}
