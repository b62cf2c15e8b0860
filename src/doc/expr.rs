//! JavaScript inside MDX: `{expressions}` and `import` statements.
//!
//! docdrift never runs JavaScript. It reads an expression the way MDX does: micromark ends a
//! `{` expression at the first `}` where what precedes parses with acorn, which for valid code
//! is the `}` that balances the braces outside strings, template literals, regular expressions,
//! comments and JSX. A small JavaScript lexer finds it, and checks the expression's top level
//! (operands and operators alternating, brackets balanced, nothing TypeScript) for the errors
//! acorn certainly raises. What it cannot judge (the inside of brackets and function bodies) it
//! accepts, so that a syntax finding is never one the compiler would not give.

/// What an expression may hold, per place (micromark-extension-mdx-expression's options).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExprKind {
    /// `{...}` in flow or text: may be empty or only comments.
    Plain,
    /// An attribute value `a={...}`: an expression is required.
    AttrValue,
    /// An attribute `{...props}`: exactly one spread.
    Spread,
}

/// Why an expression fails, and where (a byte offset in the scanned text).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ExprError {
    pub at: usize,
    pub reason: &'static str,
    /// The input ended before the expression: more input could still close it.
    pub eof: bool,
}

pub(crate) const EOF_IN_EXPRESSION: &str =
    "Unexpected end of file in expression, expected a corresponding closing brace for `{`";
pub(crate) const ACORN: &str = "Could not parse expression with acorn";

/// The expression whose `{` is at `open`, read up to `limit`: the offset of its closing `}`, or
/// the error MDX gives.
pub(crate) fn scan_expression(text: &str, open: usize, limit: usize, kind: ExprKind) -> Result<usize, ExprError> {
    let close = match find_close(&text[..limit], open) {
        Ok(close) => Some(close),
        // The compiler would fail somewhere in there too, or overflow its stack.
        Err(Some(at)) => return Err(ExprError { at, reason: TOO_DEEP, eof: false }),
        Err(None) => None,
    };
    let Some(close) = close else {
        // micromark tried acorn at every `}` on the way; at the end it throws the error of the
        // last try, if there was one.
        if let Some(last) = text[open + 1..limit].rfind('}')
            && let Err(at) = validate(&text[..open + 1 + last], open + 1, kind)
        {
            return Err(ExprError { at, reason: ACORN, eof: true });
        }
        return Err(ExprError { at: limit, reason: EOF_IN_EXPRESSION, eof: true });
    };
    validate_depth(&text[..close], open + 1, kind).map_err(|(at, deep)| ExprError {
        at,
        reason: if deep { TOO_DEEP } else { ACORN },
        eof: false,
    })?;
    Ok(close)
}

/// Given `b[open] == b'{'`, the offset of the `}` that closes it (braces balanced outside
/// strings, templates, comments, regular expressions and JSX), or `None` when the input ends
/// first.
pub(crate) fn matching_brace(s: &str, open: usize) -> Option<usize> {
    find_close(s, open).ok()
}

/// [`matching_brace`], or where nesting went too deep (`Err(Some)`).
fn find_close(s: &str, open: usize) -> Result<usize, Option<usize>> {
    let b = s.as_bytes();
    // Plain text between braces is the common case: no lexer needed.
    let mut i = open + 1;
    while i < b.len() {
        match b[i] {
            b'}' => return Ok(i),
            b'{' | b'"' | b'\'' | b'`' | b'/' | b'<' => break,
            _ => i += 1,
        }
    }
    let mut lx = Lexer { s, b, i: open, nl: false, depth: 0, too_deep: None };
    lx.group(b'{').map_err(|_| lx.too_deep)
}

/// Whether an expression holds nothing but comments (`{/* note */}`).
pub(crate) fn is_comment_only(src: &str) -> bool {
    strip_comments(src).trim().is_empty() && !src.trim().is_empty()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Eof,
    Word,
    /// Numbers, strings, templates, regular expressions, `#private` names.
    Atom,
    Punct,
    Open(u8),
    Close(u8),
}

/// A JavaScript lexer over `s`, good for finding where things end. Errors are byte offsets.
#[derive(Clone)]
struct Lexer<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    /// Whether a line ending came before the last token (for automatic semicolons).
    nl: bool,
    /// How many brackets, JSX elements and template substitutions enclose the current token.
    depth: u32,
    /// Where nesting first went past [`MAX_DEPTH`].
    too_deep: Option<usize>,
}

/// Nesting deeper than this is an error. acorn, a recursive-descent parser, overflows the
/// JavaScript stack of Node's default size somewhere past a thousand nested parentheses; the
/// lexer here recurses too, on threads with small stacks, so it stops well before either.
pub(crate) const MAX_DEPTH: u32 = 256;
pub(crate) const TOO_DEEP: &str = "Brackets in an expression nested deeper than 256 levels";

fn id_start(c: char) -> bool {
    c.is_alphabetic() || c == '$' || c == '_' || c == '\\'
}

fn id_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '$' || c == '_' || c == '\u{200c}' || c == '\u{200d}' || c == '\\'
}

/// Punctuators, longest first.
const PUNCTS: [&str; 52] = [
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=", "<=", ">=", "&&",
    "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>", "+", "-", "*", "/",
    "%", "<", ">", "=", "!", "~", "?", ":", ",", ".", "&", "|", "^", ";", "@",
];

/// Words after which an operand follows (so `/` starts a regular expression, `<` JSX).
const OPERAND_NEXT: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
];

impl<'a> Lexer<'a> {
    fn peek_char(&self) -> Option<char> {
        // Code is nearly all ASCII: a byte below 0x80 is its character, with no decoding.
        if let Some(&c) = self.b.get(self.i)
            && c.is_ascii()
        {
            return Some(c as char);
        }
        self.s.get(self.i..).and_then(|t| t.chars().next())
    }

    /// Whitespace and comments.
    fn trivia(&mut self) -> Result<(), usize> {
        self.nl = false;
        while let Some(c) = self.peek_char() {
            if c.is_whitespace() || c == '\u{feff}' {
                self.nl |= matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}');
                self.i += c.len_utf8();
            } else if self.b[self.i..].starts_with(b"//") {
                while self.i < self.b.len() && !matches!(self.b[self.i], b'\n' | b'\r') {
                    self.i += 1;
                }
            } else if self.b[self.i..].starts_with(b"/*") {
                match self.s[self.i + 2..].find("*/") {
                    Some(k) => {
                        self.nl |= self.s[self.i..self.i + k + 4].contains(['\n', '\r']);
                        self.i += k + 4;
                    }
                    None => return Err(self.i),
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    /// The next token and where it starts; `operand`: whether an operand may come (then `/`
    /// starts a regular expression).
    fn next(&mut self, operand: bool) -> Result<(Tok, usize), usize> {
        self.trivia()?;
        let at = self.i;
        let Some(c) = self.peek_char() else { return Ok((Tok::Eof, at)) };
        let b = self.b;
        if id_start(c) {
            self.word();
            return Ok((Tok::Word, at));
        }
        if c.is_ascii_digit() || (c == '.' && b.get(at + 1).is_some_and(u8::is_ascii_digit)) {
            self.number()?;
            return Ok((Tok::Atom, at));
        }
        match c {
            '"' | '\'' => {
                self.string(b[at])?;
                return Ok((Tok::Atom, at));
            }
            '`' => {
                self.template()?;
                return Ok((Tok::Atom, at));
            }
            '#' => {
                self.i += 1;
                if !self.peek_char().is_some_and(id_start) {
                    return Err(at);
                }
                self.word();
                return Ok((Tok::Atom, at));
            }
            '/' if operand => {
                self.regex()?;
                return Ok((Tok::Atom, at));
            }
            '(' | '[' | '{' => {
                self.i += 1;
                return Ok((Tok::Open(c as u8), at));
            }
            ')' | ']' | '}' => {
                self.i += 1;
                return Ok((Tok::Close(c as u8), at));
            }
            _ => {}
        }
        let rest = &self.s[at..];
        // Compared from their first byte, which rules out most of them without a call to
        // compare the rest (this runs for every operator of every import and export).
        for p in PUNCTS {
            if p.as_bytes()[0] == b[at] && rest.starts_with(p) {
                // `?.5` is `?` and `.5`.
                if p == "?." && b.get(at + 2).is_some_and(u8::is_ascii_digit) {
                    continue;
                }
                self.i += p.len();
                return Ok((Tok::Punct, at));
            }
        }
        Err(at)
    }

    fn word(&mut self) {
        // ASCII name characters a byte at a time ([`id_continue`] for ASCII), then the rest.
        while self.b.get(self.i).is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'$' || c == b'_') {
            self.i += 1;
        }
        while let Some(c) = self.peek_char() {
            if !id_continue(c) {
                break;
            }
            self.i += c.len_utf8();
        }
    }

    fn number(&mut self) -> Result<(), usize> {
        let b = self.b;
        let at = self.i;
        if b[at] == b'0' && matches!(b.get(at + 1), Some(b'x' | b'X' | b'o' | b'O' | b'b' | b'B')) {
            self.i += 2;
            while self.i < b.len() && (b[self.i].is_ascii_hexdigit() || b[self.i] == b'_') {
                self.i += 1;
            }
        } else {
            let digits = |i: &mut usize| {
                while *i < b.len() && (b[*i].is_ascii_digit() || b[*i] == b'_') {
                    *i += 1;
                }
            };
            digits(&mut self.i);
            if b.get(self.i) == Some(&b'.') {
                self.i += 1;
                digits(&mut self.i);
            }
            if matches!(b.get(self.i), Some(b'e' | b'E')) {
                self.i += 1;
                if matches!(b.get(self.i), Some(b'+' | b'-')) {
                    self.i += 1;
                }
                digits(&mut self.i);
            }
        }
        if b.get(self.i) == Some(&b'n') {
            self.i += 1;
        }
        // acorn: "Identifier directly after number".
        if self.peek_char().is_some_and(|c| id_start(c) || c.is_ascii_digit()) {
            return Err(self.i);
        }
        Ok(())
    }

    fn string(&mut self, q: u8) -> Result<(), usize> {
        let at = self.i;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                c if c == q => {
                    self.i += 1;
                    return Ok(());
                }
                b'\\' => self.i += 2,
                b'\n' | b'\r' => return Err(at),
                _ => self.i += 1,
            }
        }
        Err(at)
    }

    fn template(&mut self) -> Result<(), usize> {
        let at = self.i;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'`' => {
                    self.i += 1;
                    return Ok(());
                }
                b'\\' => self.i += 2,
                b'$' if self.b.get(self.i + 1) == Some(&b'{') => {
                    self.i += 1;
                    self.group(b'{')?;
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
        Err(at)
    }

    fn regex(&mut self) -> Result<(), usize> {
        let at = self.i;
        self.i += 1;
        let mut class = false;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 1,
                b'\n' | b'\r' => return Err(at),
                b'[' => class = true,
                b']' => class = false,
                b'/' if !class => {
                    self.i += 1;
                    self.word();
                    return Ok(());
                }
                _ => {}
            }
            self.i += 1;
        }
        Err(at)
    }

    /// With `b[self.i] == open`, skip to its closing bracket (returned; `self.i` stays on it),
    /// the content lexed but not checked.
    fn group(&mut self, open: u8) -> Result<usize, usize> {
        self.nested(|lx| lx.group_inner(open))
    }

    /// Run `f` one level deeper; past [`MAX_DEPTH`], fail where the level opens.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, usize>) -> Result<T, usize> {
        if self.depth >= MAX_DEPTH {
            self.too_deep.get_or_insert(self.i);
            return Err(self.i);
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn group_inner(&mut self, open: u8) -> Result<usize, usize> {
        let close = match open {
            b'(' => b')',
            b'[' => b']',
            _ => b'}',
        };
        let start = self.i;
        self.i += 1;
        let mut operand = true;
        loop {
            let (tok, at) = self.next(operand)?;
            match tok {
                Tok::Eof => return Err(start),
                Tok::Close(c) if c == close => {
                    self.i = at;
                    return Ok(at);
                }
                Tok::Close(_) => return Err(at),
                Tok::Open(c) => {
                    self.i = at;
                    self.group(c)?;
                    self.i += 1;
                    operand = false;
                }
                Tok::Punct if operand && self.b[at] == b'<' && self.jsx_starts(at) => {
                    self.i = at;
                    self.jsx()?;
                    operand = false;
                }
                Tok::Punct => operand = !matches!(&self.s[at..self.i], "++" | "--"),
                Tok::Word => operand = OPERAND_NEXT.contains(&&self.s[at..self.i]),
                Tok::Atom => operand = false,
            }
        }
    }

    /// Whether `<` at `at` (where an operand may come) opens a JSX element.
    fn jsx_starts(&self, at: usize) -> bool {
        self.s[at + 1..].chars().next().is_some_and(|c| c == '>' || id_start(c))
    }

    /// Skip a JSX element or fragment starting at `self.i` (`<`).
    fn jsx(&mut self) -> Result<(), usize> {
        self.nested(|lx| lx.jsx_inner())
    }

    fn jsx_inner(&mut self) -> Result<(), usize> {
        let start = self.i;
        if self.jsx_tag()? {
            return Err(start);
        }
        if self.b[self.i - 2] == b'/' {
            return Ok(());
        }
        // Children: text, `{expressions}`, elements, up to the closing tag.
        loop {
            match self.b.get(self.i) {
                None => return Err(start),
                Some(b'{') => {
                    self.group(b'{')?;
                    self.i += 1;
                }
                Some(b'<') => {
                    if self.b.get(self.i + 1) == Some(&b'/') {
                        self.jsx_tag()?;
                        return Ok(());
                    }
                    self.jsx()?;
                }
                Some(b'}') => return Err(self.i),
                Some(_) => self.i += 1,
            }
        }
    }

    /// Skip one tag `<...>`; whether it is a closing tag.
    fn jsx_tag(&mut self) -> Result<bool, usize> {
        let start = self.i;
        self.i += 1;
        self.trivia()?;
        let closing = self.b.get(self.i) == Some(&b'/');
        if closing {
            self.i += 1;
        }
        loop {
            self.trivia()?;
            match self.b.get(self.i) {
                None => return Err(start),
                Some(b'>') => {
                    self.i += 1;
                    return Ok(closing);
                }
                Some(b'{') => {
                    self.group(b'{')?;
                    self.i += 1;
                }
                Some(&q @ (b'"' | b'\'')) => match self.s[self.i + 1..].find(q as char) {
                    Some(k) => self.i += k + 2,
                    None => return Err(self.i),
                },
                Some(b'<') => self.jsx()?,
                Some(_) => {
                    let c = self.peek_char().unwrap_or(' ');
                    self.i += c.len_utf8();
                }
            }
        }
    }
}

/// Words that cannot be an operand.
const NOT_OPERAND: &[&str] = &[
    "break",
    "case",
    "catch",
    "const",
    "continue",
    "debugger",
    "default",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "finally",
    "for",
    "if",
    "in",
    "instanceof",
    "let",
    "of",
    "return",
    "switch",
    "throw",
    "try",
    "var",
    "while",
    "with",
    "yield",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "static",
];
const PREFIX_WORDS: &[&str] = &["typeof", "void", "delete", "await", "new"];
const BINARY: &[&str] = &[
    "==", "!=", "===", "!==", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "**", "<<", ">>", ">>>", "&", "|", "^",
    "&&", "||", "??", "=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=",
    "??=",
];

/// Check `text[from..]` as an expression (empty allowed for [`ExprKind::Plain`]): the error's
/// offset. Only the top level is checked; inside brackets, only their balance.
fn validate(text: &str, from: usize, kind: ExprKind) -> Result<(), usize> {
    validate_depth(text, from, kind).map_err(|(at, _)| at)
}

/// [`validate`], saying whether the error is nesting past [`MAX_DEPTH`].
fn validate_depth(text: &str, from: usize, kind: ExprKind) -> Result<(), (usize, bool)> {
    let mut lx = Lexer { s: text, b: text.as_bytes(), i: from, nl: false, depth: 0, too_deep: None };
    expression(&mut lx, kind, Stop::End).map_err(|at| match lx.too_deep {
        Some(deep) => (deep, true),
        None => (at, false),
    })
}

/// Where [`expression`] stops.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// At the end of the text.
    End,
    /// Where a statement ends: `;`, a top-level `,` or closing bracket, or a line ending before
    /// a token that cannot go on with the expression (an automatic semicolon).
    Statement,
    /// At a top-level `,` or closing bracket (an item of a list or object).
    List,
}

/// With `lx` just after an opening bracket (the operand position), the items of an array or
/// of parentheses, or the properties of an object literal, then the closing bracket.
fn bracketed(lx: &mut Lexer, open: u8) -> Result<(), usize> {
    lx.nested(|lx| bracketed_inner(lx, open))
}

fn bracketed_inner(lx: &mut Lexer, open: u8) -> Result<(), usize> {
    let close = match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    };
    loop {
        let save = lx.i;
        let (tok, at) = lx.next(true)?;
        let t = &lx.s[at..lx.i];
        match tok {
            Tok::Close(c) if c == close => return Ok(()),
            Tok::Close(_) | Tok::Eof => return Err(at),
            // Holes and trailing commas (arrays, parameters).
            Tok::Punct if t == "," && open != b'{' => continue,
            Tok::Punct if t == "..." => expression(lx, ExprKind::AttrValue, Stop::List)?,
            _ if open != b'{' => {
                lx.i = save;
                expression(lx, ExprKind::AttrValue, Stop::List)?;
            }
            // An object's property: a key, then `: value`, a method, `= default` (a pattern),
            // or nothing (shorthand).
            Tok::Word | Tok::Atom | Tok::Open(b'[') | Tok::Punct if t != "," => {
                let mut key = (tok, at);
                if tok == Tok::Punct && t != "*" {
                    return Err(at);
                }
                // `get`/`set`/`async`/`static` and `*` before a method's name.
                loop {
                    let word = &lx.s[key.1..lx.i];
                    let modifier = (key.0 == Tok::Word && matches!(word, "get" | "set" | "async" | "static"))
                        || key.0 == Tok::Punct;
                    if key.0 == Tok::Open(b'[') {
                        lx.i = key.1;
                        lx.group(b'[')?;
                        lx.i += 1;
                    }
                    let save = lx.i;
                    let next = lx.next(false)?;
                    let nt = &lx.s[next.1..lx.i];
                    let name_follows = matches!(next.0, Tok::Word | Tok::Atom | Tok::Open(b'['))
                        || (next.0 == Tok::Punct && nt == "*");
                    if modifier && name_follows {
                        key = next;
                        continue;
                    }
                    lx.i = save;
                    break;
                }
                let (tok, at) = lx.next(false)?;
                let t = &lx.s[at..lx.i];
                match tok {
                    Tok::Punct if t == ":" || t == "=" => expression(lx, ExprKind::AttrValue, Stop::List)?,
                    Tok::Open(b'(') => {
                        lx.i = at;
                        lx.group(b'(')?;
                        lx.i += 1;
                        let (tok, at) = lx.next(false)?;
                        if tok != Tok::Open(b'{') {
                            return Err(at);
                        }
                        lx.i = at;
                        lx.group(b'{')?;
                        lx.i += 1;
                    }
                    Tok::Punct if t == "," => {
                        lx.i = at;
                    }
                    Tok::Close(b'}') => {
                        lx.i = at;
                    }
                    _ => return Err(at),
                }
            }
            _ => return Err(at),
        }
        // After an item: `,` or the end.
        let (tok, at) = lx.next(false)?;
        match tok {
            Tok::Close(c) if c == close => return Ok(()),
            Tok::Punct if &lx.s[at..lx.i] == "," => {}
            _ => return Err(at),
        }
    }
}

/// An expression from `lx`, to the end of its text, or (`statement`) to where a statement
/// would end: a `;`, a top-level `,` or `)`/`]`/`}`, or a line ending before a token that
/// cannot go on with the expression (an automatic semicolon). `lx` is then left before it.
fn expression(lx: &mut Lexer, kind: ExprKind, stop: Stop) -> Result<(), usize> {
    let text = lx.s;
    let mut operand = true;
    let mut tokens = 0;
    let mut ternary = 0usize;
    // The last operand was a bare word or a parenthesized group: `=>` may follow.
    let mut arrow_ok = false;
    // The last operand was `async`: a word may follow (an async arrow function).
    let mut after_async = false;
    // A `#private` name operand: only `#x in y` is an expression (acorn fails at the `#`).
    let mut private: Option<usize> = None;
    // After `=>`: a `{` is a function body, not an object.
    let mut body_next = false;
    loop {
        let before = lx.i;
        let (tok, at) = lx.next(operand)?;
        let t = &text[at..lx.i];
        if stop == Stop::List && !operand && tokens > 0 && (t == "," || matches!(tok, Tok::Close(_))) {
            if let Some(p) = private {
                return Err(p);
            }
            lx.i = before;
            return Ok(());
        }
        if stop == Stop::Statement && !operand && tokens > 0 {
            let goes_on = match tok {
                Tok::Punct => !matches!(t, ";" | "," | "!" | "~" | "++" | "--" | "..."),
                Tok::Open(c) => c != b'{',
                Tok::Word => t == "in" || t == "instanceof",
                Tok::Atom => text.as_bytes()[at] == b'`',
                Tok::Close(_) | Tok::Eof => false,
            };
            let ends = matches!(t, ";" | ",") || matches!(tok, Tok::Close(_)) || (lx.nl && !goes_on);
            if ends && private.is_none() {
                lx.i = before;
                return Ok(());
            }
        }
        if let Some(p) = private.take()
            && t != "in"
        {
            return Err(p);
        }
        if tok == Tok::Eof {
            if tokens == 0 {
                return if kind == ExprKind::Plain { Ok(()) } else { Err(at) };
            }
            return if operand { Err(at) } else { Ok(()) };
        }
        tokens += 1;
        if kind == ExprKind::Spread && tokens == 1 {
            if t != "..." {
                return Err(at);
            }
            continue;
        }
        if operand {
            arrow_ok = false;
            after_async = false;
            match tok {
                Tok::Word if PREFIX_WORDS.contains(&t) => {}
                Tok::Word if NOT_OPERAND.contains(&t) => return Err(at),
                Tok::Word if t == "function" => {
                    skip_function(lx)?;
                    operand = false;
                }
                Tok::Word if t == "class" => {
                    skip_class(lx)?;
                    operand = false;
                }
                Tok::Word => {
                    operand = false;
                    arrow_ok = true;
                    after_async = t == "async";
                }
                Tok::Atom => {
                    operand = false;
                    if text.as_bytes()[at] == b'#' {
                        private = Some(at);
                    }
                }
                Tok::Open(b'{') if std::mem::take(&mut body_next) => {
                    lx.i = at;
                    lx.group(b'{')?;
                    lx.i += 1;
                    operand = false;
                }
                Tok::Open(c) => {
                    bracketed(lx, c)?;
                    operand = false;
                    arrow_ok = c == b'(';
                }
                Tok::Punct if matches!(t, "!" | "~" | "+" | "-" | "++" | "--") => {}
                Tok::Punct if t == "<" && lx.jsx_starts(at) => {
                    lx.i = at;
                    lx.jsx()?;
                    operand = false;
                }
                _ => return Err(at),
            }
            continue;
        }
        // An operand is complete: an operator, a call, a member, or the end follows.
        let was_async = std::mem::take(&mut after_async);
        let arrow = std::mem::take(&mut arrow_ok);
        match tok {
            Tok::Punct if BINARY.contains(&t) => operand = true,
            Tok::Punct if t == "?" => {
                ternary += 1;
                operand = true;
            }
            Tok::Punct if t == ":" && ternary > 0 => {
                ternary -= 1;
                operand = true;
            }
            Tok::Punct if t == "," && kind != ExprKind::Spread => operand = true,
            Tok::Punct if t == "=>" && arrow => {
                operand = true;
                body_next = true;
            }
            Tok::Punct if matches!(t, "++" | "--") => {}
            Tok::Punct if t == "." || t == "?." => {
                let (tok, at) = lx.next(false)?;
                match tok {
                    Tok::Word => {}
                    Tok::Atom if text.as_bytes()[at] == b'#' => {}
                    Tok::Open(c) if t == "?." && c != b'{' => {
                        lx.i = at;
                        lx.group(c)?;
                        lx.i += 1;
                    }
                    _ => return Err(at),
                }
            }
            Tok::Open(c) if c != b'{' => {
                // Call arguments or an index.
                bracketed(lx, c)?;
                // `async (x) => ...`
                arrow_ok = was_async && c == b'(';
            }
            // A tagged template.
            Tok::Atom if text.as_bytes()[at] == b'`' => {}
            Tok::Word if t == "in" || t == "instanceof" => operand = true,
            // `async x => ...`, `async function () {}`.
            Tok::Word if was_async => {
                if t == "function" {
                    skip_function(lx)?;
                } else {
                    arrow_ok = true;
                }
            }
            _ => return Err(at),
        }
    }
}

/// Check an ESM block (import and export statements up to a blank line) for what MDX rejects:
/// anything but `import`/`export` statements, and malformed imports (the offset of the first
/// bad token). Exports are not checked past their keyword.
///
/// `imported` holds the names earlier blocks imported: micromark-extension-mdxjs-esm declares
/// them (`var a, b`) before the block for acorn, which rejects a name bound twice (unless by
/// `var` both times). This block's imports are added to it.
pub(crate) fn check_esm(src: &str, imported: &mut std::collections::HashSet<String>) -> Result<(), usize> {
    let mut lx = Lexer { s: src, b: src.as_bytes(), i: 0, nl: false, depth: 0, too_deep: None };
    // Names the block binds (offsets) and whether by `var`.
    let mut bound: Vec<(usize, usize)> = Vec::new();
    let mut var: Vec<Option<bool>> = Vec::new();
    // Per name bound so far in this block: (bound by a declaration other than `var` or by an
    // import, bound by `var`).
    let mut kinds: std::collections::HashMap<&str, (bool, bool)> = std::collections::HashMap::new();
    // The first statement that is neither an import nor an export: MDX rejects it, but only
    // once acorn has parsed the whole block (whose syntax errors come first).
    let mut other: Option<usize> = None;
    loop {
        let before = lx.i;
        let (tok, at) = lx.next(true)?;
        let t = &src[at..lx.i];
        let from = bound.len();
        let is_var = matches!(lx.clone().next(false), Ok((Tok::Word, k)) if src[k..].starts_with("var"));
        match tok {
            Tok::Eof => {
                if let Some(at) = other {
                    return Err(at);
                }
                imported.extend(
                    bound.iter().zip(&var).filter(|(_, v)| v.is_none()).map(|(&(a, e), _)| src[a..e].to_string()),
                );
                return Ok(());
            }
            Tok::Punct if t == ";" => continue,
            Tok::Word if t == "export" => export_rest(&mut lx, &mut bound)?,
            Tok::Word if t == "import" => import_rest(&mut lx, &mut bound)?,
            // A block statement: its statements are not read.
            Tok::Open(b'{') => {
                other.get_or_insert(at);
                lx.i = at;
                lx.group(b'{')?;
                lx.i += 1;
            }
            // Read as an expression statement, for the syntax errors in it.
            _ => {
                other.get_or_insert(at);
                lx.i = before;
                expression(&mut lx, ExprKind::AttrValue, Stop::Statement)?;
                // An expression cannot start with these: not a statement we read.
                if lx.i == before {
                    return Err(at);
                }
            }
        }
        for &(a, e) in &bound[from..] {
            let name = &src[a..e];
            let earlier = imported.contains(name) && !is_var;
            // Bound twice in this block, unless by `var` both times.
            let (other_before, var_before) = kinds.get(name).copied().unwrap_or_default();
            let here = other_before || (var_before && !is_var);
            if earlier || here {
                return Err(a);
            }
            // `Some(true)`: a `var`; `Some(false)`: another declaration; `None`: an import.
            let v = if t == "import" { None } else { Some(is_var) };
            var.push(v);
            let entry = kinds.entry(name).or_default();
            if v == Some(true) {
                entry.1 = true;
            } else {
                entry.0 = true;
            }
        }
        // A statement ends with `;`, a line ending or the end.
        let save = lx.i;
        let (tok, at) = lx.next(false)?;
        if !(tok == Tok::Eof || lx.nl || &src[at..lx.i] == ";") {
            return Err(at);
        }
        lx.i = save;
    }
}

/// After `export`: a declaration, `default` and an expression (or declaration), or a list.
fn export_rest(lx: &mut Lexer, bound: &mut Vec<(usize, usize)>) -> Result<(), usize> {
    let (tok, at) = lx.next(false)?;
    let t = &lx.s[at..lx.i];
    match tok {
        Tok::Word if matches!(t, "const" | "let" | "var") => loop {
            // A binding (a name or a pattern), maybe `= value`, maybe `, more`.
            let (tok, at) = lx.next(false)?;
            match tok {
                Tok::Word => bound.push((at, lx.i)),
                Tok::Open(c @ (b'{' | b'[')) => {
                    lx.i = at;
                    lx.group(c)?;
                    lx.i += 1;
                }
                _ => return Err(at),
            }
            let save = lx.i;
            let (tok, at) = lx.next(false)?;
            if tok == Tok::Punct && &lx.s[at..lx.i] == "=" {
                expression(lx, ExprKind::AttrValue, Stop::Statement)?;
            } else {
                lx.i = save;
            }
            let save = lx.i;
            let (tok, at) = lx.next(false)?;
            if !(tok == Tok::Punct && &lx.s[at..lx.i] == ",") {
                lx.i = save;
                return Ok(());
            }
        },
        Tok::Word if t == "function" => {
            declared_name(lx, bound)?;
            skip_function(lx)
        }
        Tok::Word if t == "class" => {
            declared_name(lx, bound)?;
            skip_class(lx)
        }
        Tok::Word if t == "async" => {
            let (tok, at) = lx.next(false)?;
            if !(tok == Tok::Word && &lx.s[at..lx.i] == "function") {
                return Err(at);
            }
            declared_name(lx, bound)?;
            skip_function(lx)
        }
        Tok::Word if t == "default" => {
            let save = lx.i;
            let (tok, at) = lx.next(true)?;
            match (tok, &lx.s[at..lx.i]) {
                (Tok::Word, "function") => skip_function(lx),
                (Tok::Word, "class") => skip_class(lx),
                _ => {
                    lx.i = save;
                    expression(lx, ExprKind::AttrValue, Stop::Statement)
                }
            }
        }
        Tok::Open(b'{') | Tok::Punct => {
            if tok == Tok::Open(b'{') {
                lx.i = at;
                lx.group(b'{')?;
                lx.i += 1;
            } else if t != "*" {
                return Err(at);
            } else {
                // `export * [as name] from '...'`
                let (tok, at) = lx.next(false)?;
                if tok == Tok::Word && &lx.s[at..lx.i] == "as" {
                    lx.next(false)?;
                } else {
                    lx.i = at;
                }
            }
            let save = lx.i;
            let (tok, at) = lx.next(false)?;
            if tok == Tok::Word && &lx.s[at..lx.i] == "from" {
                let (tok, at) = lx.next(false)?;
                if !(tok == Tok::Atom && matches!(lx.b[at], b'"' | b'\'')) {
                    return Err(at);
                }
            } else if t == "*" {
                return Err(at);
            } else {
                lx.i = save;
            }
            Ok(())
        }
        _ => Err(at),
    }
}

/// After `import`: `'source'`, or `specifiers from 'source'`, then maybe `with { ... }`.
fn import_rest(lx: &mut Lexer, bound: &mut Vec<(usize, usize)>) -> Result<(), usize> {
    let is_string = |lx: &Lexer, at: usize| matches!(lx.b[at], b'"' | b'\'');
    let (tok, at) = lx.next(false)?;
    if !(tok == Tok::Atom && is_string(lx, at)) {
        // Specifiers: `Name`, `* as Name`, `{ a, b as c }`, separated by commas, then `from`.
        let (mut tok, mut at) = (tok, at);
        loop {
            match tok {
                Tok::Word if &lx.s[at..lx.i] == "from" => break,
                Tok::Word if &lx.s[at..lx.i] == "as" => {}
                Tok::Word => bound.push((at, lx.i)),
                Tok::Punct if matches!(&lx.s[at..lx.i], "*" | ",") => {}
                Tok::Open(b'{') => loop {
                    // `name`, `name as local`, `"string" as local`; the local name is bound.
                    let (tok, at) = lx.next(false)?;
                    match tok {
                        Tok::Close(b'}') => break,
                        Tok::Word if &lx.s[at..lx.i] == "as" => {
                            bound.pop();
                        }
                        Tok::Word => bound.push((at, lx.i)),
                        Tok::Atom if is_string(lx, at) => {}
                        Tok::Punct if &lx.s[at..lx.i] == "," => {}
                        _ => return Err(at),
                    }
                },
                _ => return Err(at),
            }
            (tok, at) = lx.next(false)?;
        }
        let (tok, at) = lx.next(false)?;
        if !(tok == Tok::Atom && is_string(lx, at)) {
            return Err(at);
        }
    }
    // Import attributes.
    let save = lx.i;
    let (tok, at) = lx.next(false)?;
    if tok == Tok::Word && matches!(&lx.s[at..lx.i], "with" | "assert") {
        let (tok, at) = lx.next(false)?;
        if tok != Tok::Open(b'{') {
            return Err(at);
        }
        lx.i = at;
        lx.group(b'{')?;
        lx.i += 1;
    } else {
        lx.i = save;
    }
    Ok(())
}

/// The name a `function` or `class` declaration binds, if it has one (`lx` stays before `(`).
fn declared_name(lx: &mut Lexer, bound: &mut Vec<(usize, usize)>) -> Result<(), usize> {
    let save = lx.i;
    let (mut tok, mut at) = lx.next(false)?;
    if tok == Tok::Punct && &lx.s[at..lx.i] == "*" {
        (tok, at) = lx.next(false)?;
    }
    if tok == Tok::Word && !matches!(&lx.s[at..lx.i], "extends") {
        bound.push((at, lx.i));
    }
    lx.i = save;
    Ok(())
}

/// After `function`: `[*] [name] (params) { body }`.
fn skip_function(lx: &mut Lexer) -> Result<(), usize> {
    loop {
        let (tok, at) = lx.next(false)?;
        match tok {
            Tok::Punct if &lx.s[at..lx.i] == "*" => {}
            Tok::Word => {}
            Tok::Open(b'(') => {
                lx.i = at;
                lx.group(b'(')?;
                lx.i += 1;
                let (tok, at) = lx.next(false)?;
                if tok != Tok::Open(b'{') {
                    return Err(at);
                }
                lx.i = at;
                lx.group(b'{')?;
                lx.i += 1;
                return Ok(());
            }
            _ => return Err(at),
        }
    }
}

/// After `class`: `[name] [extends ...] { body }`.
fn skip_class(lx: &mut Lexer) -> Result<(), usize> {
    loop {
        let (tok, at) = lx.next(false)?;
        match tok {
            Tok::Open(c) => {
                lx.i = at;
                lx.group(c)?;
                lx.i += 1;
                if c == b'{' {
                    return Ok(());
                }
            }
            Tok::Eof | Tok::Close(_) => return Err(at),
            _ => {}
        }
    }
}

fn strip_comments(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            out.push_str(&src[last..i]);
            out.push(' ');
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i = (i + 2).min(b.len());
            last = i;
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            out.push_str(&src[last..i]);
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            last = i;
        } else if b[i] == b'"' || b[i] == b'\'' {
            let q = b[i];
            i += 1;
            while i < b.len() && b[i] != q {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    out.push_str(&src[last.min(src.len())..]);
    out
}

/// An `import` statement: `(specifier, specifier byte range within src, bound names)`.
pub(crate) fn parse_import(src: &str) -> Option<(String, std::ops::Range<usize>, Vec<String>)> {
    let rest = src.strip_prefix("import")?;
    let b = src.as_bytes();
    // The specifier is the last string literal of the statement.
    let mut names = Vec::new();
    let (mut q_start, mut q_end) = (None, None);
    let mut i = 6;
    while i < b.len() {
        if b[i] == b'\'' || b[i] == b'"' {
            let q = b[i];
            let s = i + 1;
            let mut j = s;
            while j < b.len() && b[j] != q && b[j] != b'\n' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let j = j.min(b.len());
            q_start = Some(s);
            q_end = Some(j);
            i = j + 1;
            if b.get(j) == Some(&q) {
                break;
            }
        } else {
            i += 1;
        }
    }
    let (s, e) = (q_start?, q_end?);
    let clause = &rest[..s.saturating_sub(7).min(rest.len())];
    let clause = clause.trim().trim_end_matches("from").trim_end();
    let mut word = String::new();
    let mut prev_as = false;
    let mut pending: Option<String> = None;
    for c in clause.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            if word == "as" {
                prev_as = true;
                pending = None;
            } else if word != "type" {
                if prev_as {
                    names.push(word.clone());
                    prev_as = false;
                } else {
                    if let Some(p) = pending.take() {
                        names.push(p);
                    }
                    pending = Some(word.clone());
                }
            }
            word.clear();
        }
        if (c == ',' || c == '}')
            && let Some(p) = pending.take()
        {
            names.push(p);
        }
    }
    if let Some(p) = pending {
        names.push(p);
    }
    Some((unescape_js(&src[s..e]), s..e, names))
}

/// The value of a JavaScript string literal's body: `'./\_partial.md'` is `./_partial.md`
/// (MDX authors escape `_` out of habit; the escape means the character itself).
fn unescape_js(body: &str) -> String {
    if !body.contains('\\') {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str) -> Result<(), usize> {
        let text = format!("{{{src}}}");
        scan_expression(&text, 0, text.len(), ExprKind::Plain).map(|_| ()).map_err(|e| e.at - 1)
    }

    #[test]
    fn braces_skip_strings_templates_comments_regexes_and_jsx() {
        let s = "{a ? '}' : `x${ {b: 1}.b }}` /* } */}rest";
        assert_eq!(matching_brace(s, 0), Some(36));
        assert_eq!(matching_brace("{ a ", 0), None);
        assert_eq!(matching_brace("{{}}", 0), Some(3));
        assert_eq!(matching_brace("{`a ${files}/b\n c`}\n", 0), Some(18));
        assert_eq!(matching_brace("{/[{]/.test(x)}", 0), Some(14));
        assert_eq!(matching_brace("{a && <p>Don't {x}</p>}", 0), Some(22));
    }

    #[test]
    fn valid_expressions_pass() {
        for src in [
            "",
            " /* note */ ",
            "props.x",
            "`${a} and ${ {b: '}'}.b }`",
            "(() => { return 'x' })()",
            "a ? '}' : \"{\"",
            "items.map((i) => <li key={i}>{i}</li>)",
            "x => x * 2",
            "async (a) => await a",
            "async x => x",
            "new Date().getFullYear()",
            "a?.b?.[0]?.(1)",
            "typeof x === 'string' && !y",
            "-1, +2, ~3",
            "function f() { return 1 }",
            "class { }",
            "<>fragment</>",
            "#x in obj",
            "tag`template`",
            "/re/g.test(s)",
            "{a: 1}",
            "[1, 2, ...rest]",
            "a = b ?? c",
            "1_000n + 0x1F + .5 + 5. + 1e-3",
            "({a = 1}, [b, , c], ...d) => a",
            "{get x() { return 1 }, [k]: 2, ...o, 'q': 3, async *gen() {}, 4: 5, y,}",
            "f(...args, (x) => ({x}), {a: [1, {b}]},)",
            "x => { const y = {a b c}; }",
        ] {
            assert_eq!(check(src), Ok(()), "{src:?}");
        }
    }

    #[test]
    fn invalid_expressions_fail_where_acorn_does() {
        assert_eq!(check("#custom-id"), Err(0));
        assert_eq!(check("your cluster name"), Err(5));
        assert_eq!(check("a: 1"), Err(1));
        assert_eq!(check("1.2.3"), Err(3));
        assert_eq!(check("a +"), Err(3));
        assert_eq!(check("var x"), Err(0));
        assert_eq!(check("x!"), Err(1));
        assert_eq!(check("f(a"), Err(3));
        // Inside brackets: arrays, arguments, object literals.
        assert_eq!(check("{.spec.cni.ipam.type}"), Err(1));
        assert_eq!(check("[a b]"), Err(3));
        assert_eq!(check("f(a b)"), Err(4));
        assert_eq!(check("{a: 1 2}"), Err(6));
        // No `}` ends it, so acorn's error at the last `}` tried (here the closing one) stands.
        assert_eq!(check("'open"), Err(0));
        assert_eq!(check("f(a} and more"), Err(3));
    }

    #[test]
    fn attribute_values_and_spreads() {
        let scan = |src: &str, kind| scan_expression(src, 0, src.len(), kind).map_err(|e| e.at);
        assert!(scan("{}", ExprKind::AttrValue).is_err());
        assert!(scan("{/* c */}", ExprKind::AttrValue).is_err());
        assert_eq!(scan("{...props}", ExprKind::Spread), Ok(9));
        assert!(scan("{props}", ExprKind::Spread).is_err());
        assert!(scan("{...a, b}", ExprKind::Spread).is_err());
    }

    #[test]
    fn esm_blocks_hold_only_imports_and_exports() {
        let check_esm = |src: &str| check_esm(src, &mut Default::default());
        assert_eq!(check_esm("import A from './a'\nimport {B, C as D} from \"./b\";\nimport './c.css'"), Ok(()));
        assert_eq!(check_esm("import * as X from 'x' with {type: 'json'}\nexport const y = 1, z = {a: [1]};"), Ok(()));
        assert_eq!(check_esm("export default function A() {}\nexport {a as b} from './c'\nexport * from 'd'"), Ok(()));
        assert_eq!(check_esm("export const config = {\n\n  name: 'x',\n};"), Ok(()));
        // acorn's syntax errors: an unterminated regular expression, a word after a word.
        assert_eq!(check_esm("export const a = 1\n![img](/i.png)"), Err(26));
        assert_eq!(check_esm("export const a = 1\nText after"), Err(24));
        // Valid JavaScript, but not an import or export.
        assert_eq!(check_esm("import A from './a'\nfoo()"), Err(20));
        assert_eq!(check_esm("import A from 'a';\nexport const v='x'\nexport const f=`a${v}`;"), Ok(()));
        assert_eq!(check_esm("import A from './a'\nText right after"), Err(25));
        assert_eq!(check_esm("import A './a'"), Err(9));
        // A name bound twice.
        assert_eq!(check_esm("import Tabs from 'a';\nimport Tabs from 'a';"), Err(29));
        assert_eq!(check_esm("import {A, B as C} from 'a'\nimport {C} from 'b'"), Err(36));
        assert_eq!(check_esm("import {A as B} from 'a'\nimport A from 'b'"), Ok(()));
        assert_eq!(check_esm("export var v = 1\nexport var v = 2"), Ok(()));
        // Across blocks, earlier imports count.
        let mut imported = std::collections::HashSet::new();
        assert_eq!(super::check_esm("import {a as b} from 'x'", &mut imported), Ok(()));
        assert_eq!(imported, ["b".to_string()].into());
        assert_eq!(super::check_esm("export const b = 2", &mut imported), Err(13));
        assert_eq!(super::check_esm("export var b = 2", &mut imported), Ok(()));
    }

    #[test]
    fn imports_give_specifier_and_names() {
        let (s, r, n) = parse_import("import Foo, {Bar as Baz, Qux} from '@site/src/x';").unwrap();
        assert_eq!(s, "@site/src/x");
        assert_eq!(r, 36..47);
        assert_eq!(n, vec!["Foo", "Baz", "Qux"]);
        let (s, _, n) = parse_import("import Tabs from \"@theme/Tabs\"").unwrap();
        assert_eq!((s.as_str(), n), ("@theme/Tabs", vec!["Tabs".to_string()]));
        let (s, _, n) = parse_import("import './x.css';").unwrap();
        assert_eq!((s.as_str(), n.len()), ("./x.css", 0));
        // JavaScript escapes mean the character: `\_` is `_`.
        let (s, r, n) = parse_import("import\n  Part from './\\_part-\\'q.md';").unwrap();
        assert_eq!((s.as_str(), r, n), ("./_part-'q.md", 20..35, vec!["Part".to_string()]));
    }
}
