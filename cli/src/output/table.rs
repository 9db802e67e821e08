//! Elastic tab stops, laid out exactly as Go's `text/tabwriter` (which Argo's tables and trees
//! use): cells end at a tab, a column's width is set by the run of adjacent lines that have a
//! cell in it, plus padding; the last cell of a line is written as is.
//! Must not: colour or truncate text.

/// Collects tab-separated lines and lays them out on `finish`.
#[derive(Debug)]
pub struct TabWriter {
    padding: usize,
    text: String,
}

impl TabWriter {
    /// A writer padding every column by `padding` spaces (Argo uses 3 for lists, 2 for trees).
    pub fn new(padding: usize) -> Self {
        Self {
            padding,
            text: String::new(),
        }
    }

    /// Appends text; `\t` ends a cell and `\n` a line.
    pub fn write(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// The laid-out text.
    pub fn finish(self) -> String {
        let lines: Vec<Vec<&str>> = self
            .text
            .split_inclusive('\n')
            .map(|line| {
                line.strip_suffix('\n')
                    .unwrap_or(line)
                    .split('\t')
                    .collect()
            })
            .collect();
        let ends_with_newline = self.text.ends_with('\n');
        let mut layout = Layout {
            lines: &lines,
            padding: self.padding,
            widths: Vec::new(),
            out: String::with_capacity(self.text.len() * 2),
        };
        layout.format(0, lines.len());
        let mut out = layout.out;
        if !ends_with_newline && out.ends_with('\n') {
            out.pop();
        }
        out
    }
}

struct Layout<'a> {
    lines: &'a [Vec<&'a str>],
    padding: usize,
    widths: Vec<usize>,
    out: String,
}

fn width(text: &str) -> usize {
    text.chars().count()
}

impl Layout<'_> {
    fn format(&mut self, mut line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(line0, this);
            line0 = this;
            let mut column_width = 0;
            while this < line1 && column + 1 < self.lines[this].len() {
                column_width = column_width.max(width(self.lines[this][column]) + self.padding);
                this += 1;
            }
            self.widths.push(column_width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }

    fn write_lines(&mut self, line0: usize, line1: usize) {
        for line in &self.lines[line0..line1] {
            for (j, cell) in line.iter().enumerate() {
                self.out.push_str(cell);
                if j + 1 < line.len() && j < self.widths.len() {
                    let pad = self.widths[j].saturating_sub(width(cell));
                    self.out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            self.out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_take_the_widest_cell_plus_padding() {
        let mut w = TabWriter::new(3);
        w.write("NAME\tSTATUS\tAGE\n");
        w.write("a-long-name\tSucceeded\t1m\n");
        assert_eq!(
            w.finish(),
            "NAME          STATUS      AGE\na-long-name   Succeeded   1m\n"
        );
    }

    #[test]
    fn a_column_block_ends_at_a_line_without_that_column() {
        let mut w = TabWriter::new(2);
        w.write("aaaa\tb\tc\n");
        w.write("x\n");
        w.write("y\tz\n");
        // The second block only sees `y`, so its first column is narrower.
        assert_eq!(w.finish(), "aaaa  b  c\nx\ny  z\n");
    }

    #[test]
    fn empty_trailing_cells_keep_their_padding() {
        let mut w = TabWriter::new(2);
        w.write("a\tb\t\n");
        w.write("cc\t\t\n");
        assert_eq!(w.finish(), "a   b  \ncc     \n");
    }

    #[test]
    fn width_counts_characters_not_bytes() {
        let mut w = TabWriter::new(1);
        w.write("✔ x\ty\n");
        w.write("abcd\ty\n");
        assert_eq!(w.finish(), "✔ x  y\nabcd y\n");
    }
}
