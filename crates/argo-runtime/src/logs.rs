//! Container logs: the shim writes each line of the container's stdout and stderr to one file in
//! the CRI format the kubelet uses (`<RFC 3339 time> <stdout|stderr> <F|P> <text>`); callers read
//! them back as [`LogLine`]s, optionally following the file until the container ends.
//!
//! Writing never blocks the container for long and never interprets the text; reading never
//! modifies the file.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::stream::{self, BoxStream, StreamExt};
use jiff::Timestamp;

use crate::error::{Error, Result};

/// Longest line written as one record; longer lines are split into partial records.
const MAX_RECORD: usize = 16 * 1024;

/// Which output of the container a line came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogStream {
    Stdout,
    Stderr,
}

impl LogStream {
    fn as_str(self) -> &'static str {
        match self {
            Self::Stdout => "stdout",
            Self::Stderr => "stderr",
        }
    }
}

/// One line of a container's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// When the runtime read the line from the container.
    pub timestamp: Timestamp,
    pub stream: LogStream,
    /// The line without its newline.
    pub text: String,
}

impl LogLine {
    /// The line as `kubectl logs` prints it, with `--timestamps` when `timestamps` is set.
    pub fn render(&self, timestamps: bool) -> String {
        if timestamps {
            format!("{} {}", self.timestamp, self.text)
        } else {
            self.text.clone()
        }
    }
}

/// Which lines to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogOptions {
    /// Keep streaming new lines until the container ends.
    pub follow: bool,
    /// Only the last `n` lines present when the call is made.
    pub tail_lines: Option<usize>,
    /// Only lines logged at or after this time.
    pub since: Option<Timestamp>,
}

/// Copies one output of a container to the shared log file, line by line, until end of file.
pub(crate) fn copy_output(mut source: impl Read, stream: LogStream, log: &Arc<Mutex<File>>) {
    let mut records = LineRecords::new(stream);
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match source.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => records.feed(&buffer[..read], log),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    records.finish(log);
}

/// One output stream turned into log records as its bytes arrive, in whatever pieces: a record
/// per line, a line longer than [`MAX_RECORD`] split into partial records (written as soon as
/// they are certain not to be the line's last piece).
pub(crate) struct LineRecords {
    stream: LogStream,
    /// The bytes of the line not written yet.
    pending: Vec<u8>,
}

impl LineRecords {
    pub(crate) fn new(stream: LogStream) -> Self {
        Self {
            stream,
            pending: Vec::new(),
        }
    }

    /// Writes the records `bytes` completes.
    pub(crate) fn feed(&mut self, bytes: &[u8], log: &Arc<Mutex<File>>) {
        self.pending.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(end) = self.pending[start..].iter().position(|&b| b == b'\n') {
            write_line_records(log, self.stream, &self.pending[start..start + end]);
            start += end + 1;
        }
        // More than a record's worth without a newline: the first record is partial for sure.
        while self.pending.len() - start > MAX_RECORD {
            write_record(
                log,
                self.stream,
                false,
                &self.pending[start..start + MAX_RECORD],
            );
            start += MAX_RECORD;
        }
        self.pending.drain(..start);
    }

    /// At end of output: a line without a newline is complete as it stands.
    pub(crate) fn finish(&mut self, log: &Arc<Mutex<File>>) {
        if !self.pending.is_empty() {
            write_line_records(log, self.stream, &self.pending);
            self.pending.clear();
        }
    }
}

/// The records of one line (`body`, without its newline): an empty record for an empty line.
fn write_line_records(log: &Arc<Mutex<File>>, stream: LogStream, body: &[u8]) {
    let mut chunks = body.chunks(MAX_RECORD).peekable();
    if chunks.peek().is_none() {
        write_record(log, stream, true, b"");
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        write_record(log, stream, last, chunk);
    }
}

/// Writes `text` to the log as output of `stream`, a record per line as [`copy_output`] would.
pub(crate) fn write_line(log: &Arc<Mutex<File>>, stream: LogStream, text: &str) {
    let mut bytes = text.as_bytes().to_vec();
    if !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    copy_output(bytes.as_slice(), stream, log);
}

fn write_record(log: &Arc<Mutex<File>>, stream: LogStream, full: bool, text: &[u8]) {
    let tag = if full { "F" } else { "P" };
    let mut record = format!("{} {} {tag} ", Timestamp::now(), stream.as_str()).into_bytes();
    record.extend_from_slice(text);
    record.push(b'\n');
    let mut file = log
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // A full disk must not kill the container: the line is lost, the process goes on.
    let _ = file.write_all(&record);
}

/// Assembles records into lines: partial records are joined to the next one of the same stream.
#[derive(Default)]
struct Assembler {
    partial_stdout: Option<LogLine>,
    partial_stderr: Option<LogLine>,
}

impl Assembler {
    fn push(&mut self, record: &str) -> Option<LogLine> {
        let mut parts = record.splitn(4, ' ');
        let (Some(time), Some(stream), Some(tag)) = (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let text = parts.next().unwrap_or_default();
        let timestamp: Timestamp = time.parse().ok()?;
        let stream = if stream == "stderr" {
            LogStream::Stderr
        } else {
            LogStream::Stdout
        };
        let partial = match stream {
            LogStream::Stdout => &mut self.partial_stdout,
            LogStream::Stderr => &mut self.partial_stderr,
        };
        let line = match partial.take() {
            Some(mut started) => {
                started.text.push_str(text);
                started
            }
            None => LogLine {
                timestamp,
                stream,
                text: text.to_string(),
            },
        };
        if tag == "P" {
            *partial = Some(line);
            return None;
        }
        Some(line)
    }
}

/// Reads the complete records from `offset`; returns the lines and the offset after the last
/// complete record.
fn read_from(path: &Path, offset: u64, assembler: &mut Assembler) -> Result<(Vec<LogLine>, u64)> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), offset)),
        Err(e) => {
            return Err(Error::Io {
                action: "open",
                path: path.into(),
                source: e,
            });
        }
    };
    file.seek(SeekFrom::Start(offset))
        .map_err(Error::io("seek", path))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(Error::io("read", path))?;
    let complete_len = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let lines = bytes[..complete_len]
        .split(|b| *b == b'\n')
        .filter(|r| !r.is_empty())
        .filter_map(|record| assembler.push(&String::from_utf8_lossy(record)))
        .collect();
    Ok((lines, offset + complete_len as u64))
}

struct Follow {
    path: PathBuf,
    offset: u64,
    assembler: Assembler,
    since: Option<Timestamp>,
    finished: Box<dyn Fn() -> bool + Send>,
    ended: bool,
}

/// Streams the log at `path`. With `follow`, new lines are delivered until `finished` returns
/// true and the file holds nothing more.
pub(crate) fn stream(
    path: PathBuf,
    options: &LogOptions,
    finished: Box<dyn Fn() -> bool + Send>,
) -> Result<BoxStream<'static, Result<LogLine>>> {
    let mut assembler = Assembler::default();
    let (mut lines, offset) = read_from(&path, 0, &mut assembler)?;
    if let Some(since) = options.since {
        lines.retain(|l| l.timestamp >= since);
    }
    if let Some(tail) = options.tail_lines {
        let skip = lines.len().saturating_sub(tail);
        lines.drain(..skip);
    }
    let initial = stream::iter(lines.into_iter().map(Ok));
    if !options.follow {
        return Ok(initial.boxed());
    }
    let state = Follow {
        path,
        offset,
        assembler,
        since: options.since,
        finished,
        ended: false,
    };
    let followed = stream::unfold(state, |mut state| async move {
        loop {
            if state.ended {
                return None;
            }
            let done_before_read = (state.finished)();
            match read_from(&state.path, state.offset, &mut state.assembler) {
                Err(e) => {
                    state.ended = true;
                    return Some((vec![Err(e)], state));
                }
                Ok((mut lines, offset)) => {
                    state.offset = offset;
                    if let Some(since) = state.since {
                        lines.retain(|l| l.timestamp >= since);
                    }
                    state.ended = done_before_read;
                    if !lines.is_empty() {
                        return Some((lines.into_iter().map(Ok).collect(), state));
                    }
                }
            }
            if !state.ended {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    })
    .flat_map(stream::iter);
    Ok(initial.chain(followed).boxed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_records_join_into_one_line() {
        let mut assembler = Assembler::default();
        assert_eq!(assembler.push("2024-01-01T00:00:00Z stdout P hel"), None);
        let line = assembler.push("2024-01-01T00:00:01Z stdout F lo").unwrap();
        assert_eq!(line.text, "hello");
        assert_eq!(line.timestamp.to_string(), "2024-01-01T00:00:00Z");
    }

    /// The records written by feeding `pieces` one by one, each without its timestamp.
    fn records_of(pieces: &[&[u8]]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let log = Arc::new(Mutex::new(File::create(&path).unwrap()));
        let mut records = LineRecords::new(LogStream::Stdout);
        for piece in pieces {
            records.feed(piece, &log);
        }
        records.finish(&log);
        std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(|record| record.split_once(' ').unwrap().1.to_owned())
            .collect()
    }

    #[test]
    fn output_split_anywhere_makes_the_records_it_makes_whole() {
        let mut output = b"one\n\n".to_vec();
        output.extend(std::iter::repeat_n(b'x', 2 * MAX_RECORD));
        output.push(b'\n');
        output.extend(std::iter::repeat_n(b'y', MAX_RECORD + 1));
        output.extend(b"\nlast");
        let whole = records_of(&[&output]);
        let tags: Vec<&str> = whole.iter().map(|r| &r[7..8]).collect();
        assert_eq!(tags, ["F", "F", "P", "F", "P", "F", "F"], "{whole:?}");
        for cut in [
            1,
            4,
            5,
            MAX_RECORD,
            MAX_RECORD + 5,
            2 * MAX_RECORD + 5,
            2 * MAX_RECORD + 6,
        ] {
            let (head, tail) = output.split_at(cut);
            assert_eq!(records_of(&[head, tail]), whole, "cut at {cut}");
        }
        let bytes: Vec<&[u8]> = output.chunks(1).collect();
        assert_eq!(records_of(&bytes), whole, "fed a byte at a time");
    }

    #[test]
    fn written_output_reads_back_with_streams_and_long_lines_split() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let log = Arc::new(Mutex::new(File::create(&path).unwrap()));
        let long = "x".repeat(MAX_RECORD + 10);
        copy_output(
            format!("one\n\n{long}\nlast").as_bytes(),
            LogStream::Stdout,
            &log,
        );
        copy_output(&b"oops\n"[..], LogStream::Stderr, &log);
        let (lines, _) = read_from(&path, 0, &mut Assembler::default()).unwrap();
        let texts: Vec<_> = lines.iter().map(|l| (l.stream, l.text.len())).collect();
        assert_eq!(
            texts,
            vec![
                (LogStream::Stdout, 3),
                (LogStream::Stdout, 0),
                (LogStream::Stdout, long.len()),
                (LogStream::Stdout, 4),
                (LogStream::Stderr, 4)
            ]
        );
    }
}
