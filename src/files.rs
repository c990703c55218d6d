//! Reading corpora from files, in parallel: plain-text files, and JSON Lines with a text field.
//! Bad input is an error that names the file and line, never a silently skipped document.

use crate::error::{Error, FileProblem, Result};
use rayon::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The contents of text files (UTF-8; a byte-order mark is dropped), read in parallel.
///
/// ```
/// let dir = std::env::temp_dir().join("lexiscan-doc-read-texts");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("a.txt"), "\u{FEFF}NATO met.").unwrap();
/// let texts = lexiscan::files::read_texts(&[dir.join("a.txt")]).unwrap();
/// assert_eq!(texts, ["NATO met."]);
/// ```
pub fn read_texts(paths: &[PathBuf]) -> Result<Vec<String>> {
    paths.par_iter().map(|path| read_text(path)).collect()
}

fn read_text(path: &Path) -> Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| file_error(path, e.kind().into(), e.to_string()))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        file_error(
            path,
            FileProblem::BadContent,
            format!("not UTF-8 (bad byte at offset {at})"),
        )
    })?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..3);
    }
    Ok(text)
}

/// One JSON Lines record: its text (None when null), and optional id and group as text.
pub type Record = (Option<String>, Option<String>, Option<String>);

/// The records of a JSON Lines file: each non-blank line an object with a `text_field`
/// (string or null) and, if named, an id and a group field (any scalar, kept as text).
/// Lines are parsed in parallel; every bad line is reported, with its number.
pub fn read_jsonl(
    path: &Path,
    text_field: &str,
    id_field: Option<&str>,
    group_field: Option<&str>,
) -> Result<Vec<Record>> {
    let content = read_text(path)?;
    let lines: Vec<(usize, &str)> = content
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .collect();
    let parsed: Vec<std::result::Result<Record, String>> = lines
        .par_iter()
        .map(|&(i, line)| {
            record(line, text_field, id_field, group_field)
                .map_err(|e| format!("line {}: {e}", i + 1))
        })
        .collect();
    let problems: Vec<String> = parsed
        .iter()
        .filter_map(|r| r.as_ref().err().cloned())
        .collect();
    if !problems.is_empty() {
        let shown = problems
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        let more = problems.len().saturating_sub(20);
        let tail = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        return Err(file_error(
            path,
            FileProblem::BadContent,
            format!("{} bad lines: {shown}{tail}", problems.len()),
        ));
    }
    Ok(parsed
        .into_iter()
        .map(|r| r.expect("errors returned above"))
        .collect())
}

fn record(
    line: &str,
    text_field: &str,
    id_field: Option<&str>,
    group_field: Option<&str>,
) -> std::result::Result<Record, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON ({e})"))?;
    let object = value.as_object().ok_or("not a JSON object")?;
    let text = match object.get(text_field) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) => None,
        Some(other) => return Err(format!("field {text_field:?} is not text: {other}")),
        None => return Err(format!("no field {text_field:?}")),
    };
    let scalar = |field: Option<&str>| -> std::result::Result<Option<String>, String> {
        let Some(field) = field else { return Ok(None) };
        match object.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(v.to_string())),
            Some(other) => Err(format!("field {field:?} is not a scalar: {other}")),
        }
    };
    Ok((text, scalar(id_field)?, scalar(group_field)?))
}

fn file_error(path: &Path, problem: FileProblem, why: String) -> Error {
    Error::File {
        path: path.display().to_string(),
        problem,
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_records_and_bad_lines() {
        let dir = std::env::temp_dir().join(format!("lexiscan-jsonl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.jsonl");
        std::fs::write(
            &good,
            "{\"text\": \"NATO\", \"id\": 7, \"outlet\": \"AJ\"}\n\n{\"text\": null}\n",
        )
        .unwrap();
        let records = read_jsonl(&good, "text", Some("id"), Some("outlet")).unwrap();
        assert_eq!(
            records,
            [
                (Some("NATO".into()), Some("7".into()), Some("AJ".into())),
                (None, None, None),
            ]
        );
        let bad = dir.join("bad.jsonl");
        std::fs::write(&bad, "{\"text\": \"ok\"}\nnot json\n{\"body\": \"x\"}\n").unwrap();
        let err = read_jsonl(&bad, "text", None, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("2 bad lines")
                && err.contains("line 2: not JSON")
                && err.contains("line 3: no field"),
            "{err}"
        );
        std::fs::write(dir.join("latin1.txt"), b"caf\xe9").unwrap();
        let err = read_texts(&[dir.join("latin1.txt")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("not UTF-8 (bad byte at offset 3)"), "{err}");
        let missing = dir.join("missing.txt");
        match read_texts(std::slice::from_ref(&missing)) {
            Err(Error::File {
                path,
                problem: FileProblem::NotFound,
                ..
            }) => assert_eq!(path, missing.display().to_string()),
            other => panic!("{other:?}"),
        }
    }
}
