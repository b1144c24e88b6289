//! ARCHITECTURE.md's invariant "the UI never computes money", as a check on the source: no numeric type
//! that money could be computed in appears in the UI; amounts arrive as decimal strings with their
//! display text, and are only laid out.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("ls").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_ui_has_no_type_money_could_be_computed_in() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 5, "found the UI's sources");
    let forbidden = ["f64", "f32", "i128", "u128", "Decimal", "parse::<i64>", "parse::<u64>"];
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "{}:{}: `{word}` in the UI; let core compute the figure and send it with its text",
                    file.display(),
                    n + 1
                );
            }
        }
    }
}
