//! Shell commands in code blocks, with exact positions in the original file.
//!
//! This module owns the one shell-command model every rule shares: which code blocks are shell,
//! and how their text splits into commands and words. It knows shell *syntax* only; what a
//! `kubectl` or `calicoctl` command means is left to its callers (`steps`, config-field rules).
//!
//! # API
//!
//! - [`is_shell`]`(block) -> bool`: the block is shell (`bash`, `sh`, `shell`, `console`, `zsh`,
//!   `shell-session`, `terminal`, …, or no language and a first command that is `kubectl`,
//!   `helm`, `calicoctl`, `oc` or `kubectl-calico`).
//! - [`commands`]`(file: &SourceFile, block: &CodeBlock) -> Vec<Command>`: the block's commands in
//!   order, every span a byte range in `file.text` (the original file, container indentation and
//!   all). Call it for any block; it does not check [`is_shell`].
//! - [`parse`]`(text: &str) -> Vec<Command>`: the same for a bare string; spans are offsets into
//!   `text`.
//! - [`Command`]`{ words, redirects, heredoc, span, join, background }`:
//!   - `words`: every word, assignments (`KUBECONFIG=x`) and wrappers (`sudo`) included;
//!     [`Command::program_index`], [`Command::program`] and [`Command::args`] skip those;
//!   - `span` runs from the first to the last token of the command (the heredoc body is not in
//!     it: see [`Heredoc::span`]);
//!   - `join`: how the command follows the previous one ([`Join::Sequence`] for a new line, `;`
//!     or `&`; [`Join::And`], [`Join::Or`], [`Join::Pipe`]);
//!   - `heredoc`: `<<EOF`, `<<'EOF'`, `<<"EOF"`, `<<-EOF`: the body, its span and delimiter.
//! - [`Word`]`{ text, span, quoted }`: `text` is the word after quote removal (what the program
//!   receives), `span` the word as written. [`Word::source_span`] maps a range of `text` back to
//!   the file, exactly, through quotes, escapes and line continuations: a rule can underline
//!   `vxlanPort` inside `-p '{"spec":{"vxlanPort":4790}}'`.
//! - [`stdin_heredoc`]`(commands, i)`: the heredoc that feeds command `i`, its own or through a
//!   pipe from `cat <<EOF |`.
//! - [`flag_value`]`(args, names)`: the value of `--name value`, `--name=value`, `-n value`.
//!
//! # Syntax handled
//!
//! - Prompts: when any line starts with `$ ` (a console transcript), only `$ ` lines are
//!   commands, other lines are output, and `> ` continuation prompts are removed from lines that
//!   continue a command (after `\`, an operator, inside quotes or a heredoc). Without `$ `
//!   lines every line is shell. `# ` is a comment, never a prompt.
//! - `\` line continuations (inside and between words), comments (`#` at the start of a word),
//!   `&&`, `||`, `;`, `;;`, `&`, `|`, `|&`, subshell parentheses (as separators).
//! - Quoting: `'…'`, `"…"` (with `\` escaping `$`, `` ` ``, `"`, `\` and newlines), `$'…'`;
//!   quotes may span lines. `$(…)`, `` `…` ``, `${…}` stay in the word as written.
//! - `$[var]` tokens of the docs variables plugin stay whole, spaces inside included.
//! - Redirections (`>`, `>>`, `<`, `2>&1`, `&>`, `<<<`) go to [`Command::redirects`], not words.
//!   A docs placeholder `<node-name>` (or `<your cluster name>`) is part of a word, not a
//!   redirection: `kubectl get felixconfiguration node.<node-name>` has three arguments.
//! - Heredocs: the body is the lines after the command's line up to the delimiter line (matched
//!   after trimming surrounding whitespace, because docs indent them); without one, the rest of
//!   the block.

use crate::diag::Span;
use crate::doc::{CodeBlock, Document, SharedStr};
use crate::model::SourceFile;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// One shell word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word after quote removal and escape processing. `$(…)`, `${…}`, `` `…` `` and
    /// `$[var]` are kept as written.
    pub text: String,
    /// The word as written in the file, quotes included.
    pub span: Span,
    /// Some part of the word was quoted.
    pub quoted: bool,
    /// Piecewise map from `text` offsets to file offsets: `(text offset, file offset)` anchors;
    /// between anchors, offsets advance together. Empty when the text is the span's start
    /// onwards, as written (most words: one allocation fewer each).
    anchors: Vec<(u32, u32)>,
}

impl Word {
    /// The file offset of byte `at` of [`Word::text`] (`at == text.len()` is the end of the last
    /// character).
    pub fn source_offset(&self, at: usize) -> u32 {
        if at >= self.text.len() && !self.text.is_empty() {
            let last = self.text.char_indices().next_back().map(|(k, _)| k).unwrap_or(0);
            return self.source_offset(last) + (self.text.len() - last) as u32;
        }
        let at = at as u32;
        let k = self.anchors.partition_point(|&(t, _)| t <= at);
        match k.checked_sub(1).map(|k| self.anchors[k]) {
            Some((t, s)) => s + (at - t),
            None if self.anchors.is_empty() => self.span.start + at,
            None => self.span.start,
        }
    }

    /// The file span of a byte range of [`Word::text`].
    pub fn source_span(&self, range: std::ops::Range<usize>) -> Span {
        let start = self.source_offset(range.start);
        if range.end <= range.start {
            return Span { start, end: start };
        }
        let last = self.text[..range.end].char_indices().next_back().map(|(k, _)| k).unwrap_or(range.start);
        let end = self.source_offset(last) + (range.end - last) as u32;
        Span { start, end: end.max(start) }
    }
}

/// How a command follows the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// First command, or after a new line, `;`, `;;` or `&`.
    Sequence,
    /// After `&&`.
    And,
    /// After `||`.
    Or,
    /// After `|` or `|&`: its stdin is the previous command's output.
    Pipe,
}

/// A redirection: `> file`, `2>&1`, `<<< "text"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The operator with any file descriptor: `>`, `2>`, `>>`, `&>`, `<`, `<<<`, `2>&`.
    pub op: String,
    pub target: Option<Word>,
    pub span: Span,
}

/// A here-document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter after quote removal (`EOF`).
    pub delimiter: String,
    /// The delimiter was quoted (`<<'EOF'`): the body is taken literally, with no expansion.
    pub quoted: bool,
    /// `<<-`: leading tabs are stripped.
    pub strip_tabs: bool,
    /// The body lines, each with its `\n`, container indentation and `> ` prompts removed.
    pub body: String,
    /// The body lines in the file (from the first body line to the end of the last), without
    /// the delimiter line. Empty at the body's start when the body is empty.
    pub span: Span,
    /// The `<<EOF` operator and delimiter.
    pub op_span: Span,
    /// The delimiter line was found (otherwise the body runs to the end of the block).
    pub closed: bool,
    /// For each body line: where it starts in [`Heredoc::body`] and in the file.
    line_starts: Vec<(u32, u32)>,
}

impl Heredoc {
    /// The file offset of byte `at` of [`Heredoc::body`].
    pub fn source_offset(&self, at: usize) -> u32 {
        let at = at as u32;
        let k = self.line_starts.partition_point(|&(b, _)| b <= at);
        match k.checked_sub(1).map(|k| self.line_starts[k]) {
            Some((b, s)) => s + (at - b),
            None => self.span.start,
        }
    }
}

/// One simple command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    pub heredoc: Option<Heredoc>,
    /// From the first token to the last (heredoc body excluded).
    pub span: Span,
    pub join: Join,
    /// Ends with `&`.
    pub background: bool,
}

/// Commands that run the rest of their arguments as a command.
const WRAPPERS: &[&str] = &["sudo", "env", "time", "nohup", "exec", "command", "watch", "nice"];

impl Command {
    /// Index in [`Command::words`] of the program, after `NAME=value` assignments and wrappers
    /// (`sudo -E`, `env`, `watch -n 5`, `time`, …).
    pub fn program_index(&self) -> Option<usize> {
        let mut i = 0;
        let w = &self.words;
        while i < w.len() {
            let t = w[i].text.as_str();
            if is_assignment(t) {
                i += 1;
                continue;
            }
            let name = basename(t);
            if WRAPPERS.contains(&name) {
                i += 1;
                // Options of the wrapper, and for `env` its assignments.
                while i < w.len() {
                    let o = w[i].text.as_str();
                    if o == "--" {
                        i += 1;
                        break;
                    }
                    if o.starts_with('-') && o.len() > 1 {
                        i += 1;
                        // Options that take a separate value.
                        let takes = match name {
                            "sudo" => matches!(o, "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U"),
                            "watch" => matches!(o, "-n" | "--interval" | "-q" | "--equexit"),
                            "env" => matches!(o, "-u" | "--unset" | "-C" | "--chdir" | "-S"),
                            "nice" => matches!(o, "-n"),
                            _ => false,
                        };
                        if takes {
                            i += 1;
                        }
                        continue;
                    }
                    if name == "env" && is_assignment(o) {
                        i += 1;
                        continue;
                    }
                    break;
                }
                continue;
            }
            return Some(i);
        }
        None
    }

    /// The program's name, without a directory (`./calicoctl` and `/usr/bin/calicoctl` are
    /// `calicoctl`).
    pub fn program(&self) -> Option<&str> {
        self.program_index().map(|i| basename(&self.words[i].text))
    }

    /// The words after the program.
    pub fn args(&self) -> &[Word] {
        match self.program_index() {
            Some(i) => &self.words[i + 1..],
            None => &[],
        }
    }
}

// The searches below use the `memchr` crate, not `str`'s char searches: those cost over a
// hundred instructions a call on words and lines this short, and they run for every word and
// line of every shell block.

fn is_assignment(t: &str) -> bool {
    match memchr::memchr(b'=', t.as_bytes()) {
        Some(k) if k > 0 => {
            let name = &t[..k];
            name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') && !name.as_bytes()[0].is_ascii_digit()
        }
        _ => false,
    }
}

fn basename(t: &str) -> &str {
    memchr::memrchr(b'/', t.as_bytes()).map_or(t, |k| &t[k + 1..])
}

/// `s` cut at each `\n`, as `str::split('\n')` cuts it.
fn split_lines(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(b'\n', r.as_bytes()) {
            Some(k) => {
                rest = Some(&r[k + 1..]);
                Some(&r[..k])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// The heredoc that feeds command `i`'s stdin: its own, or that of a `cat`/`echo`-like command
/// piped into it (`cat <<EOF | kubectl apply -f -`).
pub fn stdin_heredoc(commands: &[Command], i: usize) -> Option<&Heredoc> {
    let c = commands.get(i)?;
    if let Some(h) = &c.heredoc {
        return Some(h);
    }
    if c.join == Join::Pipe && i > 0 {
        let prev = &commands[i - 1];
        if matches!(prev.program(), Some("cat" | "envsubst" | "tee")) {
            return prev.heredoc.as_ref();
        }
    }
    None
}

/// The value of an option among `args`: `--name value`, `--name=value`, `-n value`, `-nvalue`
/// for single-letter names. Returns the word and the byte range of the value inside its text.
pub fn flag_value<'a>(args: &'a [Word], names: &[&str]) -> Option<(&'a Word, std::ops::Range<usize>)> {
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        if t == "--" {
            return None;
        }
        for n in names {
            if t == *n {
                return args.get(i + 1).map(|w| (w, 0..w.text.len()));
            }
            if let Some(rest) = t.strip_prefix(n) {
                if rest.starts_with('=') {
                    return Some((&args[i], n.len() + 1..t.len()));
                }
                // `-pVALUE` for a single-letter short option.
                if n.len() == 2 && !n.starts_with("--") && !rest.is_empty() {
                    return Some((&args[i], n.len()..t.len()));
                }
            }
        }
        i += 1;
    }
    None
}

/// Languages whose blocks are shell.
const SHELL_LANGS: &[&str] =
    &["bash", "sh", "shell", "console", "zsh", "ksh", "shell-session", "shellsession", "sh-session", "terminal"];

/// Programs that make an unlabelled block shell when they are its first command.
const SHELL_PROGRAMS: &[&str] = &["kubectl", "helm", "calicoctl", "oc", "kubectl-calico"];

/// Is this code block shell? Labelled shell blocks are; blocks with no language are when their
/// first command is `kubectl`, `helm`, `calicoctl`, `oc` or `kubectl-calico`.
pub fn is_shell(block: &CodeBlock) -> bool {
    match block.lang.as_deref() {
        Some(l) => SHELL_LANGS.iter().any(|s| s.eq_ignore_ascii_case(l)),
        None => first_program(&block.value).is_some_and(|p| SHELL_PROGRAMS.contains(&p)),
    }
}

/// The first word of the first non-blank, non-comment line (after a `$ ` prompt).
fn first_program(value: &str) -> Option<&str> {
    let line = value.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let line = line.strip_prefix("$ ").unwrap_or(line).trim_start();
    let w = line.split([' ', '\t']).find(|w| !is_assignment(w) && !WRAPPERS.contains(w))?;
    Some(basename(w))
}

/// The commands of a code block, with spans in `file.text`.
pub fn commands(file: &SourceFile, block: &CodeBlock) -> Vec<Command> {
    let map = LineMap::for_block(file, block);
    Lexer::new(&block.value, map).run()
}

/// The commands of every code block of `file`, in order (none for blocks that are not shell).
///
/// Copies of a page share their text and document (`Model::build`), so they have the same
/// commands, and the engine checks a page's copies one after another on one thread
/// (`engine::check_rules`). Each thread keeps the last file's commands for the next copy, and
/// only those: a cache of every page's commands raised the run's peak memory by 10 MB. The
/// memo holds the document and text it was computed from, so that no other file can come to
/// have their addresses while it is kept.
pub fn file_commands(file: &SourceFile) -> Rc<[Vec<Command>]> {
    type Memo = Option<(Arc<Document>, SharedStr, Rc<[Vec<Command>]>)>;
    thread_local! {
        static LAST: RefCell<Memo> = const { RefCell::new(None) };
    }
    LAST.with(|last| {
        if let Some((doc, text, cmds)) = &*last.borrow()
            && Arc::ptr_eq(doc, &file.doc)
            && SharedStr::same(text, &file.text)
        {
            return cmds.clone();
        }
        let cmds: Rc<[Vec<Command>]> =
            file.doc.code_blocks.iter().map(|b| if is_shell(b) { commands(file, b) } else { Vec::new() }).collect();
        *last.borrow_mut() = Some((file.doc.clone(), file.text.clone(), cmds.clone()));
        cmds
    })
}

/// The commands of a string, with spans as offsets into it.
pub fn parse(text: &str) -> Vec<Command> {
    Lexer::new(text, LineMap::Identity).run()
}

/// Maps offsets in a block's `value` to offsets in the file.
enum LineMap {
    Identity,
    /// Per value line: (value start, value end, file line start, file line end).
    Lines(Vec<(u32, u32, u32, u32)>),
}

impl LineMap {
    fn for_block(file: &SourceFile, block: &CodeBlock) -> LineMap {
        let mut out = Vec::new();
        let mut in_file = crate::diag::lines_from(&file.text, block.content_start);
        let mut vs = 0usize;
        for line in split_lines(&block.value) {
            let ve = vs + line.len();
            let (fs, fe) = match in_file.next() {
                Some((s, ft)) => (s, s + ft.len() as u32),
                None => {
                    let e = file.text.len() as u32;
                    (e, e)
                }
            };
            out.push((vs as u32, ve as u32, fs, fe));
            vs = ve + 1;
        }
        LineMap::Lines(out)
    }

    fn map(&self, off: usize) -> u32 {
        match self {
            LineMap::Identity => off as u32,
            LineMap::Lines(lines) => {
                let off = off as u32;
                let k = lines.partition_point(|l| l.0 <= off).saturating_sub(1);
                let Some(&(_, ve, fs, fe)) = lines.get(k) else { return 0 };
                if off > ve {
                    // The `\n` after the line.
                    return fe + (off - ve);
                }
                // The value line is the end of the file line (container prefix removed); a
                // line whose tab was expanded into spaces maps its padding to the line start.
                fe.saturating_sub(ve - off).max(fs)
            }
        }
    }
}

#[derive(Default)]
struct Building {
    words: Vec<Word>,
    redirects: Vec<Redirect>,
    heredoc: Option<Heredoc>,
    start: Option<usize>,
    end: usize,
    background: bool,
}

struct PendingHeredoc {
    command: usize,
    delimiter: String,
    strip_tabs: bool,
}

/// Bytes that end a run of plain word characters in [`Lexer::push_run`]: blanks, line breaks,
/// operators, quotes, escapes and expansions (every byte `Lexer::word` treats specially).
static ENDS_PLAIN_RUN: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = b" \t\n\r;&|<>()\\'\"$`";
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

struct Lexer<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    map: LineMap,
    prompt: bool,
    out: Vec<Command>,
    cur: Building,
    join: Join,
    pending: Vec<PendingHeredoc>,
    /// The next line continues the current command (after `\`, or an operator).
    continued: bool,
    /// [`WordBuf::anchors`]' list, kept between words.
    anchors: Vec<(u32, u32)>,
}

impl<'a> Lexer<'a> {
    fn new(s: &'a str, map: LineMap) -> Lexer<'a> {
        let prompt = s.lines().any(|l| {
            let t = l.trim_start();
            t.starts_with("$ ") || t == "$"
        });
        Lexer {
            s,
            b: s.as_bytes(),
            i: 0,
            map,
            prompt,
            out: Vec::new(),
            cur: Building::default(),
            join: Join::Sequence,
            pending: Vec::new(),
            continued: false,
            anchors: Vec::new(),
        }
    }

    fn run(mut self) -> Vec<Command> {
        let mut at_line_start = true;
        loop {
            if at_line_start {
                at_line_start = false;
                if !self.pending.is_empty() {
                    self.heredoc_bodies();
                    if self.i >= self.b.len() {
                        break;
                    }
                }
                if self.prompt && !self.line_prompt() {
                    // Output: skip the line.
                    match memchr::memchr(b'\n', &self.b[self.i..]) {
                        Some(k) => {
                            self.i += k + 1;
                            at_line_start = true;
                            continue;
                        }
                        None => break,
                    }
                }
                self.continued = false;
            }
            let Some(&c) = self.b.get(self.i) else { break };
            let next = self.b.get(self.i + 1).copied();
            match c {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    if self.cur.start.is_none() && self.join != Join::Sequence {
                        self.continued = true;
                    } else {
                        self.finish(Join::Sequence);
                    }
                    at_line_start = true;
                }
                b'\\' if next == Some(b'\n') => {
                    self.i += 2;
                    self.continued = true;
                    at_line_start = true;
                }
                b'\\' if next == Some(b'\r') && self.b.get(self.i + 2) == Some(&b'\n') => {
                    self.i += 3;
                    self.continued = true;
                    at_line_start = true;
                }
                b'#' => {
                    self.i = self.line_end();
                }
                b';' => {
                    self.i += if next == Some(b';') { 2 } else { 1 };
                    self.finish(Join::Sequence);
                }
                b'&' if next == Some(b'&') => {
                    self.i += 2;
                    self.finish(Join::And);
                }
                b'&' if next == Some(b'>') => self.redirect(self.i),
                b'&' => {
                    self.i += 1;
                    self.cur.background = true;
                    self.finish(Join::Sequence);
                }
                b'|' if next == Some(b'|') => {
                    self.i += 2;
                    self.finish(Join::Or);
                }
                b'|' => {
                    self.i += if next == Some(b'&') { 2 } else { 1 };
                    self.finish(Join::Pipe);
                }
                b'(' | b')' => {
                    self.i += 1;
                    self.finish(Join::Sequence);
                }
                b'<' if self.placeholder_len().is_some() => {
                    let w = self.word();
                    self.push_word(w);
                }
                b'<' | b'>' => self.redirect(self.i),
                b'0'..=b'9' if self.fd_redirect() => self.redirect(self.i),
                _ => {
                    let w = self.word();
                    self.push_word(w);
                }
            }
        }
        self.finish(Join::Sequence);
        self.out
    }

    /// Where the current line ends (its `\n`, or the end of the text).
    fn line_end(&self) -> usize {
        memchr::memchr(b'\n', &self.b[self.i..]).map_or(self.b.len(), |k| self.i + k)
    }

    /// At the start of a line in a console transcript: skip the prompt. False for output lines.
    fn line_prompt(&mut self) -> bool {
        let line = &self.s[self.i..self.line_end()];
        let t = line.trim_start_matches([' ', '\t']);
        let lead = line.len() - t.len();
        if self.continued {
            if let Some(after) = t.strip_prefix("> ").or_else(|| t.strip_prefix('>').filter(|a| a.trim().is_empty())) {
                self.i += line.len() - after.len();
            }
            return true;
        }
        if t.starts_with("$ ") {
            self.i += lead + 2;
            true
        } else if t.trim_end() == "$" {
            self.i += lead + 1;
            true
        } else {
            false
        }
    }

    /// At `<`: the length of a docs placeholder `<node-name>` (a name of letters, digits, `_`,
    /// `-`, `.`, `:`, `/` and spaces, closed by `>` on the same line), which is a word, not a
    /// redirection.
    fn placeholder_len(&self) -> Option<usize> {
        let rest = &self.b[self.i..];
        let first = *rest.get(1)?;
        if !(first.is_ascii_alphanumeric() || first == b'_') {
            return None;
        }
        let close = rest.iter().position(|&c| c == b'>')?;
        let inner = &rest[1..close];
        let ok =
            inner.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':' | b'/' | b' '));
        // A space inside is fine in `<your cluster name>`, not in `<file >out`.
        (ok && inner.last() != Some(&b' ')).then_some(close + 1)
    }

    /// Digits followed by `<` or `>`: a file-descriptor redirection.
    fn fd_redirect(&self) -> bool {
        let mut j = self.i;
        while j < self.b.len() && self.b[j].is_ascii_digit() {
            j += 1;
        }
        matches!(self.b.get(j), Some(b'<' | b'>'))
    }

    fn mark(&mut self, start: usize, end: usize) {
        if self.cur.start.is_none() {
            self.cur.start = Some(start);
        }
        self.cur.end = end;
    }

    fn push_word(&mut self, w: Word) {
        self.cur.words.push(w);
    }

    fn finish(&mut self, next: Join) {
        let cur = std::mem::take(&mut self.cur);
        if let Some(start) = cur.start {
            self.out.push(Command {
                words: cur.words,
                redirects: cur.redirects,
                heredoc: cur.heredoc,
                span: Span { start: self.map.map(start), end: self.map_end(cur.end) },
                join: self.join,
                background: cur.background,
            });
            self.join = next;
        } else if next != Join::Sequence {
            // `| cmd` with nothing before: keep the operator.
            self.join = next;
        } else if !self.continued {
            self.join = Join::Sequence;
        }
    }

    fn map_end(&self, end: usize) -> u32 {
        if end == 0 {
            return self.map.map(0);
        }
        let last = self.s[..end].char_indices().next_back().map(|(k, _)| k).unwrap_or(0);
        self.map.map(last) + (end - last) as u32
    }

    fn redirect(&mut self, start: usize) {
        let b = self.b;
        let mut j = start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        // Heredoc.
        if b[j..].starts_with(b"<<") && !b[j..].starts_with(b"<<<") {
            j += 2;
            let strip_tabs = b.get(j) == Some(&b'-');
            if strip_tabs {
                j += 1;
            }
            while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                j += 1;
            }
            self.i = j;
            let delim = if j < b.len() && !matches!(b[j], b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')') {
                Some(self.word())
            } else {
                None
            };
            let end = self.i;
            self.mark(start, end);
            if let Some(d) = delim {
                let op_span = Span { start: self.map.map(start), end: self.map_end(end) };
                let command = self.out.len();
                self.cur.heredoc = Some(Heredoc {
                    delimiter: d.text.clone(),
                    quoted: d.quoted,
                    strip_tabs,
                    body: String::new(),
                    span: Span::default(),
                    op_span,
                    closed: false,
                    line_starts: Vec::new(),
                });
                self.pending.push(PendingHeredoc { command, delimiter: d.text, strip_tabs });
            }
            return;
        }
        // Other operators.
        let ops: &[&[u8]] = &[b"&>>", b"&>", b"<<<", b">>", b">&", b"<&", b">|", b"<>", b">", b"<"];
        let op = ops.iter().find(|o| b[j..].starts_with(o)).copied().unwrap_or(b">");
        j += op.len();
        let op_text = self.s[start..j].to_string();
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        self.i = j;
        let target = if j < b.len() && !matches!(b[j], b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' | b'#') {
            Some(self.word())
        } else {
            None
        };
        let end = self.i;
        self.mark(start, end);
        let span = Span { start: self.map.map(start), end: self.map_end(end) };
        self.cur.redirects.push(Redirect { op: op_text, target, span });
    }

    /// Read the bodies of pending heredocs, starting at a line start.
    fn heredoc_bodies(&mut self) {
        for p in std::mem::take(&mut self.pending) {
            let body_start = self.i;
            let mut body = String::new();
            let mut line_starts = Vec::new();
            let mut body_end = body_start;
            let mut closed = false;
            while self.i < self.b.len() {
                let eol = self.line_end();
                let line = &self.s[self.i..eol];
                let mut content_at = self.i;
                if self.prompt {
                    let t = line.trim_start_matches([' ', '\t']);
                    if let Some(a) = t.strip_prefix("> ") {
                        content_at = eol - a.len();
                    } else if t.trim_end() == ">" {
                        content_at = eol;
                    }
                }
                let mut content = &self.s[content_at..eol];
                if p.strip_tabs {
                    let t = content.trim_start_matches('\t');
                    content_at += content.len() - t.len();
                    content = t;
                }
                if content.trim() == p.delimiter {
                    closed = true;
                    self.i = (eol + 1).min(self.b.len());
                    break;
                }
                line_starts.push((body.len() as u32, self.map.map(content_at)));
                body.push_str(content.strip_suffix('\r').unwrap_or(content));
                body.push('\n');
                body_end = eol;
                self.i = (eol + 1).min(self.b.len());
                if eol == self.b.len() {
                    break;
                }
            }
            let span = if line_starts.is_empty() {
                let s = self.map.map(body_start);
                Span { start: s, end: s }
            } else {
                Span { start: self.map.map(body_start), end: self.map_end(body_end).max(self.map.map(body_start)) }
            };
            if let Some(h) = self.out.get_mut(p.command).and_then(|c| c.heredoc.as_mut()) {
                h.body = body;
                h.span = span;
                h.closed = closed;
                h.line_starts = line_starts;
            }
        }
    }

    /// After a `\n` inside a word: skip a `> ` continuation prompt in a transcript.
    fn skip_continuation_prompt(&mut self) {
        if !self.prompt {
            return;
        }
        let rest = &self.s[self.i..];
        let t = rest.trim_start_matches([' ', '\t']);
        if t.starts_with("> ") {
            self.i += rest.len() - t.len() + 2;
        }
    }

    /// Lex one word starting at `self.i`.
    fn word(&mut self) -> Word {
        let start = self.i;
        // The anchors are gathered in a list kept across words, and copied out at their size.
        let mut w = WordBuf { text: String::new(), anchors: std::mem::take(&mut self.anchors), quoted: false };
        w.anchors.clear();
        let b = self.b;
        while self.i < b.len() {
            let c = b[self.i];
            match c {
                b'<' if let Some(n) = self.placeholder_len() => {
                    let end = self.i + n;
                    while self.i < end {
                        self.push_char(&mut w);
                    }
                }
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
                b'\r' if b.get(self.i + 1) == Some(&b'\n') => break,
                b'\\' => match b.get(self.i + 1) {
                    Some(b'\n') => {
                        self.i += 2;
                        self.skip_continuation_prompt();
                    }
                    Some(_) => {
                        self.i += 1;
                        self.push_char(&mut w);
                    }
                    None => self.push_char(&mut w),
                },
                b'\'' => {
                    w.quoted = true;
                    self.i += 1;
                    while self.i < b.len() && b[self.i] != b'\'' {
                        if b[self.i] == b'\n' {
                            self.push_char(&mut w);
                            self.skip_continuation_prompt();
                        } else {
                            self.push_quoted_run(&mut w, b"'");
                        }
                    }
                    self.i = (self.i + 1).min(b.len());
                }
                b'"' => {
                    w.quoted = true;
                    self.i += 1;
                    self.double_quoted(&mut w);
                }
                b'$' => match b.get(self.i + 1) {
                    Some(b'\'') => {
                        w.quoted = true;
                        self.i += 2;
                        self.ansi_c(&mut w);
                    }
                    Some(b'(') => self.raw_balanced(&mut w, b'(', b')'),
                    Some(b'{') => self.raw_balanced(&mut w, b'{', b'}'),
                    Some(b'[') => self.raw_var_token(&mut w),
                    _ => self.push_char(&mut w),
                },
                b'`' => self.raw_backticks(&mut w),
                _ => self.push_run(&mut w),
            }
        }
        self.mark(start, self.i);
        let span = Span { start: self.map.map(start), end: self.map_end(self.i) };
        let anchors = if w.anchors.as_slice() == [(0, span.start)] { Vec::new() } else { w.anchors.clone() };
        self.anchors = w.anchors;
        Word { text: w.text, span, quoted: w.quoted, anchors }
    }

    /// Push the run of plain word bytes that starts at `self.i` (no blank, line break,
    /// operator, quote, escape or expansion after its first byte, so it lies on one line).
    /// Plain runs are most of a code block: one copy and one anchor per run, rather than a
    /// decode, a map lookup and an anchor check per character, was most of the lexer's time.
    /// Where the map is not one-to-one over the run (a tab expanded into spaces), it goes
    /// character by character as before.
    fn push_run(&mut self, w: &mut WordBuf) {
        let b = self.b;
        let start = self.i;
        let mut end = start + 1;
        while end < b.len() && !ENDS_PLAIN_RUN[b[end] as usize] {
            end += 1;
        }
        // `end` follows an ASCII byte or the text's end: a character boundary.
        self.push_span(w, end);
    }

    /// Push the text from `self.i` to `end` (on one line, ending at a character boundary) as
    /// one run when the map is one-to-one over it, else character by character.
    fn push_span(&mut self, w: &mut WordBuf, end: usize) {
        let start = self.i;
        let first = self.map.map(start);
        if self.map.map(end - 1).wrapping_sub(first) as usize != end - 1 - start || !self.s.is_char_boundary(start) {
            while self.i < end {
                self.push_char(w);
            }
            return;
        }
        w.note(first);
        w.text.push_str(&self.s[start..end]);
        self.i = end;
    }

    /// Push the run of bytes inside quotes that starts at `self.i` and ends before the first
    /// of `stops` or a line break (the first byte is always taken): quoted strings are long,
    /// and went character by character.
    fn push_quoted_run(&mut self, w: &mut WordBuf, stops: &[u8]) {
        let b = self.b;
        let mut end = self.i + 1;
        // Only ASCII bytes stop the scan, so it ends on a character boundary.
        while end < b.len() && b[end] != b'\n' && !stops.contains(&b[end]) {
            end += 1;
        }
        self.push_span(w, end);
    }

    /// Push the character at `self.i` to the word, recording where it came from.
    fn push_char(&mut self, w: &mut WordBuf) {
        let ch = self.s[self.i..].chars().next().unwrap_or('\u{fffd}');
        let src = self.map.map(self.i);
        w.note(src);
        w.text.push(ch);
        self.i += ch.len_utf8().max(1);
    }

    fn double_quoted(&mut self, w: &mut WordBuf) {
        let b = self.b;
        while self.i < b.len() {
            match b[self.i] {
                b'"' => {
                    self.i += 1;
                    return;
                }
                b'\\' => match b.get(self.i + 1) {
                    Some(b'\n') => {
                        self.i += 2;
                        self.skip_continuation_prompt();
                    }
                    Some(b'$' | b'`' | b'"' | b'\\') => {
                        self.i += 1;
                        self.push_char(w);
                    }
                    _ => self.push_char(w),
                },
                b'$' if b.get(self.i + 1) == Some(&b'(') => self.raw_balanced(w, b'(', b')'),
                b'$' if b.get(self.i + 1) == Some(&b'[') => self.raw_var_token(w),
                b'`' => self.raw_backticks(w),
                b'\n' => {
                    self.push_char(w);
                    self.skip_continuation_prompt();
                }
                _ => self.push_quoted_run(w, b"\"\\$`"),
            }
        }
    }

    fn ansi_c(&mut self, w: &mut WordBuf) {
        let b = self.b;
        while self.i < b.len() && b[self.i] != b'\'' {
            if b[self.i] == b'\\' && self.i + 1 < b.len() {
                let src = self.map.map(self.i);
                let e = b[self.i + 1];
                let ch = match e {
                    b'n' => Some('\n'),
                    b't' => Some('\t'),
                    b'r' => Some('\r'),
                    b'\\' => Some('\\'),
                    b'\'' => Some('\''),
                    b'"' => Some('"'),
                    _ => None,
                };
                if let Some(ch) = ch {
                    w.note(src);
                    w.text.push(ch);
                    // The escape is two bytes in the file: the next character re-anchors.
                    self.i += 2;
                    continue;
                }
            }
            self.push_char(w);
        }
        self.i = (self.i + 1).min(b.len());
    }

    /// `$(…)` or `${…}`, kept as written (nested pairs and quotes respected).
    fn raw_balanced(&mut self, w: &mut WordBuf, open: u8, close: u8) {
        let b = self.b;
        self.push_char(w); // `$`
        self.push_char(w); // open
        let mut depth = 1;
        while self.i < b.len() {
            let c = b[self.i];
            match c {
                b'\\' if self.i + 1 < b.len() => {
                    self.push_char(w);
                    self.push_char(w);
                    continue;
                }
                b'\'' | b'"' => {
                    let q = c;
                    self.push_char(w);
                    while self.i < b.len() && b[self.i] != q {
                        if q == b'"' && b[self.i] == b'\\' && self.i + 1 < b.len() {
                            self.push_char(w);
                        }
                        self.push_char(w);
                    }
                    if self.i < b.len() {
                        self.push_char(w);
                    }
                    continue;
                }
                _ => {}
            }
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
            }
            self.push_char(w);
            if depth == 0 {
                return;
            }
        }
    }

    /// `$[name]` (the docs variables plugin): whole, spaces inside included, when it closes on
    /// the same line; otherwise just `$`.
    fn raw_var_token(&mut self, w: &mut WordBuf) {
        let rest = &self.b[self.i..];
        let close = rest.iter().take_while(|&&c| c != b'\n').position(|&c| c == b']');
        match close {
            Some(k) => {
                let end = self.i + k + 1;
                while self.i < end {
                    self.push_char(w);
                }
            }
            None => self.push_char(w),
        }
    }

    fn raw_backticks(&mut self, w: &mut WordBuf) {
        let b = self.b;
        self.push_char(w);
        while self.i < b.len() && b[self.i] != b'`' {
            if b[self.i] == b'\\' && self.i + 1 < b.len() {
                self.push_char(w);
            }
            self.push_char(w);
        }
        if self.i < b.len() {
            self.push_char(w);
        }
    }
}

struct WordBuf {
    text: String,
    anchors: Vec<(u32, u32)>,
    quoted: bool,
}

impl WordBuf {
    /// About to push a character that comes from file offset `src`: anchor it unless it
    /// follows on from the previous one.
    fn note(&mut self, src: u32) {
        let t = self.text.len() as u32;
        let follows = self.anchors.last().is_some_and(|&(at, as_)| as_ + (t - at) == src);
        if !follows {
            self.anchors.push((t, src));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(c: &Command) -> Vec<&str> {
        c.words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn lines_and_names_are_cut_as_str_cuts_them() {
        for s in ["", "\n", "a", "a\n", "\na\n\nb", "é\nü\n", "kubectl apply\n  -f x\n"] {
            assert_eq!(split_lines(s).collect::<Vec<_>>(), s.split('\n').collect::<Vec<_>>(), "{s:?}");
        }
        for t in ["", "kubectl", "/usr/bin/kubectl", "./calicoctl", "dir/", "a/b/c"] {
            assert_eq!(basename(t), t.rsplit('/').next().unwrap_or(t), "{t:?}");
        }
        assert!(is_assignment("KUBECONFIG=/x") && is_assignment("_A1=") && !is_assignment("=x"));
        assert!(!is_assignment("1A=x") && !is_assignment("kubectl") && !is_assignment("a-b=c"));
    }

    fn all(text: &str) -> Vec<Vec<String>> {
        parse(text).iter().map(|c| c.words.iter().map(|w| w.text.clone()).collect()).collect()
    }

    /// Every word's span covers what is written, and `source_span` of the whole text too.
    fn check_spans(text: &str) {
        for c in parse(text) {
            for w in &c.words {
                assert!(w.span.end as usize <= text.len(), "{w:?}");
                let whole = w.source_span(0..w.text.len());
                assert!(w.span.contains(whole) || w.text.is_empty(), "{w:?} {whole:?}");
            }
        }
    }

    /// The per-thread memo answers for the file it was computed from and its copies (same text
    /// and document), and recomputes for any other file, also after one.
    #[test]
    fn file_commands_are_kept_for_copies_only() {
        use crate::site::testing;
        let dir = tempfile::tempdir().expect("tempdir");
        let site = testing::load(dir.path());
        let opts = crate::model::parse_options(&site);
        let parse = |rel: &str, text: &str| crate::model::parse_text(&site, rel.into(), text.into(), None, &opts);
        let a = parse("docs/a.md", "```bash\nkubectl apply -f a.yaml\n```\n\n```yaml\nx: 1\n```\n");
        let b = parse("docs/b.md", "```bash\nhelm install b\n```\n");
        // A copy of `a`, as `Model::build` makes one: its own path, the same text and document.
        let copy = crate::model::SourceFile {
            path: "versioned_docs/version-1/a.md".into(),
            text: a.text.clone(),
            line_index: a.line_index.clone(),
            doc: a.doc.clone(),
            loc: None,
            heading_ids: a.heading_ids.clone(),
            read_problem: None,
        };
        let first = file_commands(&a);
        assert_eq!(first.len(), 2, "one list per code block");
        assert_eq!(words(&first[0][0]), ["kubectl", "apply", "-f", "a.yaml"]);
        assert!(first[1].is_empty(), "YAML is not shell");
        assert!(Rc::ptr_eq(&first, &file_commands(&copy)), "a copy gets the same commands");
        let other = file_commands(&b);
        assert_eq!(words(&other[0][0]), ["helm", "install", "b"]);
        // The same bytes parsed again are another document: computed again, and equal.
        let again = parse("docs/a.md", &a.text);
        let recomputed = file_commands(&again);
        assert!(!Rc::ptr_eq(&first, &recomputed));
        assert_eq!(words(&recomputed[0][0]), words(&first[0][0]));
    }

    #[test]
    fn simple_commands_and_spans() {
        let text = "kubectl apply -f x.yaml\nkubectl get pods -A\n";
        let cmds = parse(text);
        assert_eq!(cmds.len(), 2);
        assert_eq!(words(&cmds[0]), ["kubectl", "apply", "-f", "x.yaml"]);
        assert_eq!(&text[cmds[0].span.range()], "kubectl apply -f x.yaml");
        assert_eq!(&text[cmds[1].words[3].span.range()], "-A");
        assert_eq!(cmds[1].join, Join::Sequence);
        check_spans(text);
    }

    #[test]
    fn operators_split_commands() {
        let cmds = parse("a 1 && b 2 || c; d | e |& f & g");
        let names: Vec<_> = cmds.iter().map(|c| (c.words[0].text.as_str(), c.join, c.background)).collect();
        assert_eq!(
            names,
            [
                ("a", Join::Sequence, false),
                ("b", Join::And, false),
                ("c", Join::Or, false),
                ("d", Join::Sequence, false),
                ("e", Join::Pipe, false),
                ("f", Join::Pipe, true),
                ("g", Join::Sequence, false),
            ]
        );
    }

    #[test]
    fn operator_at_line_end_continues() {
        let cmds = parse("kubectl get pods |\n  grep calico &&\n  echo ok\nnext");
        assert_eq!(
            cmds.iter().map(|c| c.join).collect::<Vec<_>>(),
            [Join::Sequence, Join::Pipe, Join::And, Join::Sequence]
        );
    }

    #[test]
    fn comments() {
        assert_eq!(
            all("# install\nkubectl get x # trailing\necho a#b"),
            [vec!["kubectl", "get", "x"], vec!["echo", "a#b"]]
        );
    }

    #[test]
    fn line_continuations() {
        let text = "kubectl create -f \\\n    https://x/tigera-operator.yaml\nhelm install calico \\\n  --namespace tigera-operator";
        let cmds = parse(text);
        assert_eq!(cmds.len(), 2);
        assert_eq!(words(&cmds[0]), ["kubectl", "create", "-f", "https://x/tigera-operator.yaml"]);
        assert_eq!(&text[cmds[0].words[3].span.range()], "https://x/tigera-operator.yaml");
        assert_eq!(&text[cmds[0].span.range()], "kubectl create -f \\\n    https://x/tigera-operator.yaml");
        // Inside a word, `\` newline joins.
        assert_eq!(all("ab\\\ncd"), [vec!["abcd"]]);
        // CRLF.
        assert_eq!(all("a \\\r\n b\r\nc\r\n"), [vec!["a", "b"], vec!["c"]]);
    }

    #[test]
    fn quoting() {
        let text = r#"kubectl patch felixconfiguration default --type merge -p '{"spec":{"vxlanPort":4790}}'"#;
        let cmds = parse(text);
        let p = &cmds[0].words[7];
        assert_eq!(p.text, r#"{"spec":{"vxlanPort":4790}}"#);
        assert!(p.quoted);
        let k = p.text.find("vxlanPort").unwrap();
        assert_eq!(&text[p.source_span(k..k + 9).range()], "vxlanPort");
        assert_eq!(all(r#"echo "a \"b\" \$c \x" 'it''s' $'x\ty'"#), [vec!["echo", r#"a "b" $c \x"#, "its", "x\ty"]]);
        assert_eq!(all(r"echo a\ b"), [vec!["echo", "a b"]]);
        check_spans(r#"echo "a \"b\" c" 'd'e"#);
    }

    #[test]
    fn source_span_through_escapes_and_joined_quotes() {
        let text = r#"x --patch="{\"spec\": {\"bpfEnabled\": true}}""#;
        let w = &parse(text)[0].words[1];
        assert_eq!(w.text, r#"--patch={"spec": {"bpfEnabled": true}}"#);
        let k = w.text.find("bpfEnabled").unwrap();
        assert_eq!(&text[w.source_span(k..k + 10).range()], "bpfEnabled");
        let k = w.text.find("true").unwrap();
        assert_eq!(&text[w.source_span(k..k + 4).range()], "true");
        assert_eq!(w.source_offset(0), 2);
        assert_eq!(w.source_span(0..w.text.len()).end as usize, text.len() - 1);
    }

    #[test]
    fn multi_line_quotes() {
        let text =
            "kubectl patch installation default --type=merge -p '{\n  \"spec\": {\"x\": 1}\n}'\nkubectl get pods";
        let cmds = parse(text);
        assert_eq!(cmds.len(), 2);
        let p = cmds[0].words.last().unwrap();
        assert_eq!(p.text, "{\n  \"spec\": {\"x\": 1}\n}");
        let k = p.text.find("\"x\"").unwrap();
        assert_eq!(&text[p.source_span(k..k + 3).range()], "\"x\"");
    }

    #[test]
    fn substitutions_stay_whole() {
        assert_eq!(
            all("export POD=$(kubectl get pods -l \"app=x\" -o name | head -1); echo ${POD%x} `date`"),
            [
                vec!["export", "POD=$(kubectl get pods -l \"app=x\" -o name | head -1)"],
                vec!["echo", "${POD%x}", "`date`"]
            ]
        );
    }

    #[test]
    fn docs_variables_stay_whole() {
        let text = "kubectl create -f $[manifestsUrl]/manifests/tigera-operator.yaml\nhelm install calico --version $[ releaseTitle ] x";
        let cmds = parse(text);
        assert_eq!(cmds[0].words[3].text, "$[manifestsUrl]/manifests/tigera-operator.yaml");
        assert_eq!(words(&cmds[1]), ["helm", "install", "calico", "--version", "$[ releaseTitle ]", "x"]);
        assert_eq!(all("echo \"$[prodname] is\""), [vec!["echo", "$[prodname] is"]]);
    }

    #[test]
    fn redirects_are_not_words() {
        let cmds = parse("kubectl get x -o yaml > out.yaml 2>&1\ncalicoctl get nodes &>/dev/null\ncat <<< \"hi\"");
        assert_eq!(words(&cmds[0]), ["kubectl", "get", "x", "-o", "yaml"]);
        let ops: Vec<_> =
            cmds[0].redirects.iter().map(|r| (r.op.as_str(), r.target.as_ref().map(|t| t.text.as_str()))).collect();
        assert_eq!(ops, [(">", Some("out.yaml")), ("2>&", Some("1"))]);
        assert_eq!(cmds[1].redirects[0].op, "&>");
        assert_eq!(cmds[2].redirects[0].target.as_ref().unwrap().text, "hi");
    }

    #[test]
    fn heredocs() {
        let text = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: X\nEOF\nkubectl get x\n";
        let cmds = parse(text);
        assert_eq!(cmds.len(), 2);
        assert_eq!(words(&cmds[0]), ["kubectl", "apply", "-f", "-"]);
        let h = cmds[0].heredoc.as_ref().unwrap();
        assert_eq!(h.delimiter, "EOF");
        assert!(h.closed && !h.quoted && !h.strip_tabs);
        assert_eq!(h.body, "apiVersion: v1\nkind: X\n");
        assert_eq!(&text[h.span.range()], "apiVersion: v1\nkind: X");
        assert_eq!(&text[h.op_span.range()], "<<EOF");
        assert_eq!(&text[cmds[0].span.range()], "kubectl apply -f - <<EOF");
        let k = h.body.find("kind").unwrap();
        assert_eq!(&text[h.source_offset(k) as usize..][..4], "kind");
        assert_eq!(words(&cmds[1]), ["kubectl", "get", "x"]);
    }

    #[test]
    fn heredoc_forms() {
        let cmds = parse(
            "cat <<'EOF' | kubectl apply -f -\n$HOME\nEOF\ncat <<-\"END\" > f\n\tx\n\tEND\ncat << EOF\n  a\n  EOF\n",
        );
        assert_eq!(cmds.len(), 4);
        assert_eq!(cmds[1].join, Join::Pipe);
        let h = stdin_heredoc(&cmds, 1).unwrap();
        assert!(h.quoted);
        assert_eq!(h.body, "$HOME\n");
        let h2 = cmds[2].heredoc.as_ref().unwrap();
        assert!(h2.strip_tabs && h2.quoted && h2.closed);
        assert_eq!(h2.body, "x\n");
        assert_eq!(cmds[2].redirects[0].target.as_ref().unwrap().text, "f");
        // Indented delimiter lines close too (docs indent them).
        let h3 = cmds[3].heredoc.as_ref().unwrap();
        assert!(h3.closed);
        assert_eq!(h3.body, "  a\n");
        // Unclosed: the rest of the block.
        let cmds = parse("kubectl apply -f - <<EOF\nkind: A\n");
        let h = cmds[0].heredoc.as_ref().unwrap();
        assert!(!h.closed);
        assert_eq!(h.body, "kind: A\n");
    }

    #[test]
    fn heredoc_body_is_not_commands() {
        let cmds = parse("kubectl create -f - <<EOF\nkubectl delete everything\nEOF\necho done");
        assert_eq!(cmds.len(), 2);
        assert_eq!(words(&cmds[1]), ["echo", "done"]);
    }

    #[test]
    fn console_prompts() {
        let text = "$ kubectl get tigerastatus\nNAME   AVAILABLE\ncalico True\n$ kubectl patch x \\\n> --type merge\n$ cat <<EOF | kubectl apply -f -\n> kind: A\n> EOF\nouter output\n";
        let cmds = parse(text);
        let got: Vec<Vec<&str>> = cmds.iter().map(words).collect();
        assert_eq!(
            got,
            [
                vec!["kubectl", "get", "tigerastatus"],
                vec!["kubectl", "patch", "x", "--type", "merge"],
                vec!["cat"],
                vec!["kubectl", "apply", "-f", "-"]
            ]
        );
        assert_eq!(&text[cmds[0].span.range()], "kubectl get tigerastatus");
        assert_eq!(cmds[2].heredoc.as_ref().unwrap().body, "kind: A\n");
        // `# ` is a comment, and `$[var]` at a line start is not a prompt.
        assert_eq!(all("# root\n$[cli] get nodes"), [vec!["$[cli]", "get", "nodes"]]);
    }

    #[test]
    fn program_skips_assignments_and_wrappers() {
        let cmds = parse("KUBECONFIG=a sudo -E -u root env X=1 watch -n 5 ./calicoctl get nodes");
        let c = &cmds[0];
        assert_eq!(c.program(), Some("calicoctl"));
        assert_eq!(c.args().iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["get", "nodes"]);
        assert_eq!(parse("export A=1")[0].program(), Some("export"));
        assert_eq!(parse("A=1")[0].program(), None);
    }

    #[test]
    fn flag_values() {
        let c = &parse("kubectl patch felixconfiguration default --type=merge -p '{\"a\":1}' --patch-file x")[0];
        let (w, r) = flag_value(c.args(), &["-p", "--patch"]).unwrap();
        assert_eq!(&w.text[r], "{\"a\":1}");
        let (w, r) = flag_value(c.args(), &["--type"]).unwrap();
        assert_eq!(&w.text[r], "merge");
        let c = &parse("calicoctl patch felixconfiguration default -p'{}'")[0];
        let (w, r) = flag_value(c.args(), &["-p"]).unwrap();
        assert_eq!(&w.text[r], "{}");
        assert!(flag_value(c.args(), &["--nope"]).is_none());
    }

    #[test]
    fn placeholders_are_words() {
        assert_eq!(
            all(
                "kubectl patch felixconfiguration node.<node-name> -p x\nkubectl exec <calico-node pod> -- ip < in.txt > out"
            ),
            [
                vec!["kubectl", "patch", "felixconfiguration", "node.<node-name>", "-p", "x"],
                vec!["kubectl", "exec", "<calico-node pod>", "--", "ip"]
            ]
        );
        let c = &parse("cat <<EOF\nx\nEOF\nsort <a.txt >b.txt")[1];
        assert_eq!(c.redirects.len(), 2);
    }

    #[test]
    fn subshells_and_case_separators() {
        assert_eq!(all("(cd x && make)"), [vec!["cd", "x"], vec!["make"]]);
        assert_eq!(parse("(cd x && make)")[1].join, Join::And);
    }

    #[test]
    fn non_ascii_text() {
        let text = "echo ‘héllo’ \"wörld\"";
        let c = &parse(text)[0];
        assert_eq!(words(c), ["echo", "‘héllo’", "wörld"]);
        assert_eq!(&text[c.words[1].span.range()], "‘héllo’");
        let w = &c.words[2];
        assert_eq!(&text[w.source_span(1..3).range()], "ö");
        check_spans(text);
    }

    #[test]
    fn garbage_does_not_panic() {
        for t in [
            "'", "\"", "$(", "${", "`", "\\", "<<", "<<-", "2>", "&", "|", ";;", "$[", "a <<EOF", "$ ", "> x", "\r",
            "é\\",
        ] {
            let _ = parse(t);
        }
    }

    #[test]
    fn shell_blocks() {
        let block = |lang: Option<&str>, value: &str| CodeBlock {
            lang: lang.map(Box::from),
            meta: None,
            value: crate::doc::SharedStr::owned(value),
            span: Span::default(),
            content_start: 0,
            tab: None,
        };
        assert!(is_shell(&block(Some("bash"), "ls")));
        assert!(is_shell(&block(Some("Shell"), "ls")));
        assert!(is_shell(&block(Some("console"), "$ ls")));
        assert!(!is_shell(&block(Some("yaml"), "kubectl: x")));
        assert!(!is_shell(&block(Some("powershell"), "kubectl get x")));
        assert!(is_shell(&block(None, "\n# comment\nkubectl get pods")));
        assert!(is_shell(&block(None, "$ calicoctl get nodes")));
        assert!(is_shell(&block(None, "sudo ./calicoctl node status")));
        assert!(!is_shell(&block(None, "apiVersion: v1")));
    }
}
