//! The shape of every crate in the workspace, read from its sources with std only:
//!
//! * no import circle between the top-level modules of a crate (`src/foo.rs` and everything under
//!   `src/foo/` are the module `foo`), nor between the submodules of one module directory;
//! * no product source file longer than [`MAX_LINES`].
//!
//! A reference is a path that starts with `crate::`, `super::` or `self::`, in a `use` line or in
//! code, with `{…}` groups expanded; comments, string literals, `#[cfg(test)]` items and test files
//! (`#[cfg(test)] mod x;`) are left out. Paths through re-exports of the crate root
//! (`crate::Item`) and bare paths to child modules (`child::Item` in a `mod.rs`) are not followed.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// Longest product source file, in lines.
const MAX_LINES: usize = 600;

/// Module graph: node → (node it refers to → first file that does).
type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// One `.rs` file under a crate's `src/`.
struct SourceFile {
    /// Relative to the workspace root, with `/`.
    path: String,
    /// The module path from the crate root: `src/map/tiles.rs` → `["map", "tiles"]`,
    /// `src/map/mod.rs` → `["map"]`, `src/lib.rs` → `[]`.
    module: Vec<String>,
    lines: usize,
    /// The source with comments and string literals blanked and `#[cfg(test)]` items removed.
    product_code: String,
    /// Modules this file declares as `#[cfg(test)] mod name;`.
    test_children: Vec<String>,
    /// Declared (directly or through an ancestor) as a test module.
    is_test: bool,
}

struct Crate {
    name: String,
    files: Vec<SourceFile>,
}

impl Crate {
    fn product_files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().filter(|file| !file.is_test)
    }

    /// The modules directly below `parent` that exist as files or directories.
    fn child_modules(&self, parent: &[String]) -> BTreeSet<String> {
        self.product_files()
            .filter(|file| file.module.len() > parent.len() && file.module.starts_with(parent))
            .map(|file| file.module[parent.len()].clone())
            .collect()
    }

    /// Edges between the modules directly below `parent`, from every product file under it.
    fn graph_below(&self, parent: &[String]) -> Graph {
        let nodes = self.child_modules(parent);
        let depth = parent.len();
        let mut graph = Graph::new();
        for node in &nodes {
            graph.entry(node.clone()).or_default();
        }
        for file in self.product_files() {
            if file.module.len() <= depth || !file.module.starts_with(parent) {
                continue;
            }
            let from = &file.module[depth];
            for target in references(&file.product_code, &file.module) {
                if target.len() <= depth || !target.starts_with(parent) {
                    continue;
                }
                let to = &target[depth];
                if to != from && nodes.contains(to) {
                    graph
                        .entry(from.clone())
                        .or_default()
                        .entry(to.clone())
                        .or_insert_with(|| file.path.clone());
                }
            }
        }
        graph
    }
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The root package and every `crates/*` with a `src/`.
fn workspace_crates() -> Vec<Crate> {
    let root = workspace_root();
    let mut dirs = vec![(String::from("strikemap"), root.clone())];
    let mut members: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .expect("read crates/")
        .map(|entry| entry.expect("crates/ entry").path())
        .filter(|path| path.join("src").is_dir())
        .collect();
    members.sort();
    for dir in members {
        let name = dir
            .file_name()
            .expect("crate directory name")
            .to_string_lossy()
            .into_owned();
        dirs.push((name, dir));
    }
    dirs.into_iter()
        .map(|(name, dir)| Crate {
            name,
            files: crate_files(&root, &dir.join("src")),
        })
        .collect()
}

fn crate_files(root: &Path, src: &Path) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    collect_rs_files(src, &mut paths);
    paths.sort();
    let mut files: Vec<SourceFile> = paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read source file");
            let relative = path.strip_prefix(src).expect("file under src/");
            let (product_code, test_children) =
                without_test_items(&blank_comments_and_strings(&text));
            SourceFile {
                path: path
                    .strip_prefix(root)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .replace('\\', "/"),
                module: module_path(relative),
                lines: text.lines().count(),
                product_code,
                test_children,
                is_test: false,
            }
        })
        .collect();
    let test_modules: Vec<Vec<String>> = files
        .iter()
        .flat_map(|file| {
            file.test_children.iter().map(|child| {
                let mut module = file.module.clone();
                module.push(child.clone());
                module
            })
        })
        .collect();
    for file in &mut files {
        file.is_test = test_modules
            .iter()
            .any(|module| file.module.starts_with(module));
    }
    files
}

fn collect_rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            // src/bin/* are crates of their own.
            if path.file_name().is_some_and(|name| name != "bin") {
                collect_rs_files(&path, out);
            }
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            out.push(path);
        }
    }
}

/// `map/tiles.rs` → `["map", "tiles"]`, `map/mod.rs` → `["map"]`, `lib.rs` → `[]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        let is_root = parts.is_empty() && (stem == "lib" || stem == "main");
        if stem != "mod" && !is_root {
            parts.push(stem.to_owned());
        }
    }
    parts
}

/// The source with comments, string and char literals replaced by spaces (newlines kept).
fn blank_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if (c == 'r' || c == 'b')
            && !(i > 0 && is_ident(chars[i - 1]))
            && raw_string_hashes(&chars[i..]).is_some()
        {
            // r"…", r#"…"#, br"…"
            let (prefix, hashes) = raw_string_hashes(&chars[i..]).unwrap_or((0, 0));
            let closing: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            i += prefix;
            while i < chars.len() && !chars[i..].starts_with(&closing) {
                blank(&mut out, chars[i]);
                i += 1;
            }
            i += closing.len();
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if let Some(&escaped) = chars.get(i) {
                    blank(&mut out, escaped);
                }
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a, 'static).
            let end = if next == Some('\\') {
                chars
                    .get(i + 3..)
                    .and_then(|rest| rest.iter().position(|&c| c == '\''))
                    .map(|at| i + 3 + at)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for _ in i..=end {
                        out.push(' ');
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// For a raw string start (`r"`, `r#"`, `br##"`): the length of the opening and the number of `#`.
fn raw_string_hashes(chars: &[char]) -> Option<(usize, usize)> {
    let mut i = usize::from(chars.first() == Some(&'b'));
    if chars.get(i) != Some(&'r') {
        return None;
    }
    i += 1;
    let hashes = chars[i..].iter().take_while(|&&c| c == '#').count();
    i += hashes;
    (chars.get(i) == Some(&'"')).then_some((i + 1, hashes))
}

/// Removes every item under `#[cfg(test)]` from blanked code; returns the rest and the names of
/// `#[cfg(test)] mod name;` declarations.
fn without_test_items(code: &str) -> (String, Vec<String>) {
    const ATTRIBUTE: &str = "#[cfg(test)]";
    let mut out = String::with_capacity(code.len());
    let mut test_children = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(ATTRIBUTE) {
        out.push_str(&rest[..at]);
        let item = &rest[at + ATTRIBUTE.len()..];
        let end = item_end(item);
        let words: Vec<&str> = item[..end]
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ';'))
            .filter(|word| !word.is_empty())
            .collect();
        if let Some(position) = words.iter().position(|&word| word == "mod")
            && let Some(name) = words.get(position + 1)
            && item[..end].trim_end().ends_with(';')
        {
            test_children.push(name.trim_end_matches(';').to_owned());
        }
        // Keep the line count of what is removed.
        out.extend(item[..end].chars().filter(|&c| c == '\n'));
        rest = &item[end..];
    }
    out.push_str(rest);
    (out, test_children)
}

/// Where the item starting at `item` ends: after its first `;` outside brackets, or after the
/// `{…}` block that comes first. Further attributes (`#[…]`) before the item are part of it.
fn item_end(item: &str) -> usize {
    let mut depth = 0usize;
    for (at, c) in item.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => return at + 1,
            '{' if depth == 0 => {
                let mut braces = 0usize;
                for (offset, c) in item[at..].char_indices() {
                    match c {
                        '{' => braces += 1,
                        '}' => {
                            braces -= 1;
                            if braces == 0 {
                                return at + offset + 1;
                            }
                        }
                        _ => {}
                    }
                }
                return item.len();
            }
            _ => {}
        }
    }
    item.len()
}

/// Every path in blanked `code` that starts with `crate::`, `super::` or `self::`, made absolute
/// (segments from the crate root) for a file whose module is `module`. Groups are expanded:
/// `crate::{a::B, c}` → `[a, B]`, `[c]`. Inline `mod name { … }` blocks are taken into account.
fn references(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let tokens = tokenize(code);
    let mut found = Vec::new();
    // Inline modules open at a brace depth.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i].as_str();
        match token {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, at)| *at == depth) {
                    inline.pop();
                }
            }
            "mod" if tokens.get(i + 2).is_some_and(|t| t == "{") => {
                inline.push((tokens[i + 1].clone(), depth));
            }
            "crate" | "super" | "self" if tokens.get(i + 1).is_some_and(|t| t == "::") => {
                let preceded_by_dollar = i > 0 && tokens[i - 1] == "$";
                let mut base: Vec<String> = if token == "crate" {
                    Vec::new()
                } else {
                    let mut current = module.to_vec();
                    current.extend(inline.iter().map(|(name, _)| name.clone()));
                    current
                };
                let mut j = i;
                if token != "crate" {
                    while tokens.get(j).is_some_and(|t| t == "super" || t == "self")
                        && tokens.get(j + 1).is_some_and(|t| t == "::")
                    {
                        if tokens[j] == "super" {
                            base.pop();
                        }
                        j += 2;
                    }
                } else {
                    j += 2;
                }
                let mut paths = Vec::new();
                let next = expand_path(&tokens, j, base, &mut paths);
                if !preceded_by_dollar {
                    found.extend(paths);
                }
                i = next.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// Reads the rest of a path from `tokens[start]` (after a `::`): `a::b`, `a::{b, c::d}`, `*`.
/// Pushes each full path (`prefix` + segments) to `out`; returns the index after the path.
fn expand_path(
    tokens: &[String],
    start: usize,
    prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix;
    let mut i = start;
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                while i < tokens.len() && tokens[i] != "}" {
                    if tokens[i] == "," {
                        i += 1;
                        continue;
                    }
                    let before = i;
                    i = expand_path(tokens, i, path.clone(), out);
                    if i == before {
                        i += 1;
                    }
                }
                return i + 1;
            }
            Some(word) if is_identifier(word) => {
                path.push(word.to_owned());
                i += 1;
                if tokens.get(i).is_some_and(|t| t == "::") {
                    i += 1;
                } else {
                    out.push(path);
                    return i;
                }
            }
            _ => {
                // `*`, `<…>` or the end: the path so far.
                out.push(path);
                return i;
            }
        }
    }
}

fn is_identifier(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Identifiers, `::`, and single punctuation characters.
fn tokenize(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".to_owned());
            i += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            i += 1;
        }
    }
    tokens
}

/// The cycles of `graph`: for each edge inside a strongly connected part, the shortest cycle
/// through it, as `["a", "b", "a"]`. Each cycle is listed once, starting at its smallest node.
fn find_cycles(graph: &Graph) -> Vec<Vec<String>> {
    let mut cycles = BTreeSet::new();
    for (from, targets) in graph {
        for to in targets.keys() {
            // The shortest way back from `to` to `from` closes the cycle through this edge.
            let Some(back) = shortest_path(graph, to, from) else {
                continue;
            };
            let mut cycle = vec![from.clone()];
            cycle.extend(back);
            cycle.pop();
            let smallest = cycle
                .iter()
                .enumerate()
                .min_by_key(|(_, node)| *node)
                .map_or(0, |(at, _)| at);
            cycle.rotate_left(smallest);
            cycle.push(cycle[0].clone());
            cycles.insert(cycle);
        }
    }
    cycles.into_iter().collect()
}

/// The nodes from `start` to `goal` (both included) along the fewest edges.
fn shortest_path(graph: &Graph, start: &str, goal: &str) -> Option<Vec<String>> {
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    let mut seen = BTreeSet::from([start]);
    while let Some(node) = queue.pop_front() {
        if node == goal {
            let mut path = vec![goal.to_owned()];
            let mut at = goal;
            while let Some(&previous) = came_from.get(at) {
                path.push(previous.to_owned());
                at = previous;
            }
            path.reverse();
            return Some(path);
        }
        for next in graph.get(node).into_iter().flat_map(BTreeMap::keys) {
            if seen.insert(next.as_str()) {
                came_from.insert(next.as_str(), node);
                queue.push_back(next.as_str());
            }
        }
    }
    None
}

/// "app -> map -> app", then the file behind each step.
fn describe_cycle(graph: &Graph, cycle: &[String]) -> String {
    let mut text = cycle.join(" -> ");
    for step in cycle.windows(2) {
        if let Some(file) = graph
            .get(&step[0])
            .and_then(|targets| targets.get(&step[1]))
        {
            text.push_str(&format!("\n      {} -> {}: {file}", step[0], step[1]));
        }
    }
    text
}

/// Every cycle in every crate: between top-level modules, and between the submodules of each
/// module directory.
fn workspace_cycles() -> Vec<String> {
    let mut findings = Vec::new();
    for krate in workspace_crates() {
        let mut parents: BTreeSet<Vec<String>> = BTreeSet::from([Vec::new()]);
        for file in krate.product_files() {
            if let Some(top) = file.module.first()
                && file.module.len() > 1
            {
                parents.insert(vec![top.clone()]);
            }
        }
        for parent in parents {
            let graph = krate.graph_below(&parent);
            let place = if parent.is_empty() {
                format!("crate {}", krate.name)
            } else {
                format!("crate {}, inside {}", krate.name, parent.join("::"))
            };
            for cycle in find_cycles(&graph) {
                findings.push(format!("{place}: {}", describe_cycle(&graph, &cycle)));
            }
        }
    }
    findings
}

#[test]

fn no_module_imports_form_a_circle() {
    let findings = workspace_cycles();
    assert!(
        findings.is_empty(),
        "module import circles:\n  {}",
        findings.join("\n  ")
    );
}

#[test]

fn no_product_source_file_is_over_the_line_limit() {
    let mut long = Vec::new();
    for krate in workspace_crates() {
        for file in krate.product_files() {
            if file.lines > MAX_LINES {
                let product_lines = file
                    .product_code
                    .lines()
                    .filter(|line| !line.trim().is_empty())
                    .count();
                long.push(format!(
                    "{}: {} lines ({product_lines} non-blank outside #[cfg(test)] items and comments)",
                    file.path, file.lines
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "product source files over {MAX_LINES} lines:\n  {}",
        long.join("\n  ")
    );
}

/// The workspace checks above must not pass for want of input.
#[test]
fn the_scanner_sees_every_crate_and_their_imports() {
    let crates = workspace_crates();
    let names: BTreeSet<&str> = crates.iter().map(|krate| krate.name.as_str()).collect();
    for expected in ["strikemap", "core", "basemap", "synth"] {
        assert!(
            names.contains(expected),
            "{expected} not found in {names:?}"
        );
    }
    for krate in &crates {
        assert!(
            krate.files.iter().any(|file| file.module.is_empty()),
            "{}: no lib.rs or main.rs",
            krate.name
        );
    }
    for name in ["strikemap", "core"] {
        let krate = crates
            .iter()
            .find(|krate| krate.name == name)
            .expect("crate");
        let edges: usize = krate.graph_below(&[]).values().map(BTreeMap::len).sum();
        assert!(
            edges > 0,
            "{name}: no reference between top-level modules found"
        );
    }
    // Test modules kept in files of their own (`#[cfg(test)] mod tests;`) are recognised.
    let in_tests_modules: Vec<&SourceFile> = crates
        .iter()
        .flat_map(|krate| &krate.files)
        .filter(|file| file.module.iter().any(|segment| segment == "tests"))
        .collect();
    assert!(
        !in_tests_modules.is_empty(),
        "no file of a `tests` module under any src/"
    );
    for file in in_tests_modules {
        assert!(file.is_test, "{} is not seen as a test file", file.path);
    }
}

fn graph(edges: &[(&str, &str)]) -> Graph {
    let mut graph = Graph::new();
    for (from, to) in edges {
        graph
            .entry((*from).to_owned())
            .or_default()
            .insert((*to).to_owned(), format!("{from}.rs"));
        graph.entry((*to).to_owned()).or_default();
    }
    graph
}

fn cycle(nodes: &[&str]) -> Vec<String> {
    nodes.iter().map(|&node| node.to_owned()).collect()
}

#[test]
fn the_cycle_finder_reports_each_circle_and_nothing_else() {
    assert!(find_cycles(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])).is_empty());
    assert_eq!(
        find_cycles(&graph(&[("a", "b"), ("b", "a"), ("c", "a")])),
        vec![cycle(&["a", "b", "a"])]
    );
    let cycles = find_cycles(&graph(&[
        ("map", "app"),
        ("app", "ui"),
        ("ui", "map"),
        ("ui", "style"),
        ("import", "table"),
        ("table", "import"),
    ]));
    assert_eq!(
        cycles,
        vec![
            cycle(&["app", "ui", "map", "app"]),
            cycle(&["import", "table", "import"])
        ]
    );
    let described = describe_cycle(
        &graph(&[("app", "map"), ("map", "app")]),
        &cycle(&["app", "map", "app"]),
    );
    assert!(described.starts_with("app -> map -> app"), "{described}");
    assert!(described.contains("map -> app: map.rs"), "{described}");
}

#[test]
fn references_skip_comments_strings_and_test_items() {
    let source = r###"
//! Uses crate::docs only in a comment.
use crate::{app::{App, Settings}, map};
use super::sibling::Thing;
/* crate::block_comment */
const TEXT: &str = "crate::in_a_string";
const RAW: &str = r#"crate::in_a_raw_string"#;
const QUOTE: char = '"';
const ESCAPED: [char; 2] = ['\'', '\u{22}'];
fn f<'a>(x: &'a str) -> crate::state::State { self::child::g(); crate::style::COLOR }
macro_rules! m { () => { $crate::macro_only::x() } }
pub mod inner { use super::super::outer; }
#[cfg(test)]
mod tests { use crate::test_only::X; }
#[cfg(test)]
mod more_tests;
#[cfg(test)]
use crate::test_use;
fn after() { crate::after_tests::y(); }
"###;
    let (code, test_children) = without_test_items(&blank_comments_and_strings(source));
    assert_eq!(test_children, vec!["more_tests".to_owned()]);
    assert_eq!(code.lines().count(), source.lines().count());
    let module = cycle(&["ui", "panel"]);
    let found: BTreeSet<String> = references(&code, &module)
        .into_iter()
        .map(|path| path.join("::"))
        .collect();
    let expected: BTreeSet<String> = [
        "app::App",
        "app::Settings",
        "map",
        "ui::sibling::Thing",
        "state::State",
        "ui::panel::child::g",
        "style::COLOR",
        "ui::outer",
        "after_tests::y",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn file_paths_map_to_modules() {
    assert_eq!(module_path(Path::new("lib.rs")), Vec::<String>::new());
    assert_eq!(module_path(Path::new("main.rs")), Vec::<String>::new());
    assert_eq!(module_path(Path::new("app.rs")), cycle(&["app"]));
    assert_eq!(module_path(Path::new("map/mod.rs")), cycle(&["map"]));
    assert_eq!(
        module_path(Path::new("map/tiles.rs")),
        cycle(&["map", "tiles"])
    );
    assert_eq!(module_path(Path::new("ui/main.rs")), cycle(&["ui", "main"]));
}

#[test]
fn submodules_of_a_directory_form_their_own_graph() {
    let file = |path: &str, module: &[&str], code: &str| SourceFile {
        path: path.to_owned(),
        module: cycle(module),
        lines: 1,
        product_code: code.to_owned(),
        test_children: Vec::new(),
        is_test: false,
    };
    let krate = Crate {
        name: "example".to_owned(),
        files: vec![
            file("src/lib.rs", &[], ""),
            file("src/map/mod.rs", &["map"], "use self::a::A;"),
            file("src/map/a.rs", &["map", "a"], "use super::b::B;"),
            file(
                "src/map/b.rs",
                &["map", "b"],
                "use crate::map::a::A; use crate::app;",
            ),
            file("src/app.rs", &["app"], "use crate::map::a;"),
        ],
    };
    assert_eq!(
        find_cycles(&krate.graph_below(&cycle(&["map"]))),
        vec![cycle(&["a", "b", "a"])]
    );
    assert_eq!(
        find_cycles(&krate.graph_below(&[])),
        vec![cycle(&["app", "map", "app"])]
    );
}
