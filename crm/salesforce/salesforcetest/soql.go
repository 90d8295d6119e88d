package salesforcetest

import (
	"fmt"
	"strconv"
	"strings"
)

// The stand-in reads a subset of SOQL, enough for what Pulse sends and
// strict about it:
//
//	SELECT item {, item} FROM Object [WHERE cond {AND cond}]
//	       [GROUP BY Field {, Field}] [LIMIT n]
//	item := Field | COUNT() | COUNT(Field) [alias] | SUM(Field) [alias]
//	cond := Field op literal | Field IN (literal {, literal})
//	op   := = | != | < | <= | > | >=
//
// Literals are 'strings' with SOQL's escapes, true, false, null, numbers,
// dates (2026-03-08) and dateTimes (2026-03-08T05:00:00Z or with an
// offset), each checked against its field's type. Anything else, OR and
// parentheses included, is answered MALFORMED_QUERY: a query Pulse could
// only have meant differently fails here instead of passing unchecked.

// queryError is a SOQL error the server answers with status 400.
type queryError struct{ code, message string }

func (e *queryError) Error() string { return e.code + ": " + e.message }

func malformed(format string, args ...any) error {
	return &queryError{"MALFORMED_QUERY", fmt.Sprintf(format, args...)}
}

// soql is a parsed query.
type soql struct {
	object  string
	items   []item
	conds   []cond
	groupBy []string
	limit   int // 0 is none
}

// item is one element of the SELECT list.
type item struct {
	fn    string // "", "COUNT" or "SUM"
	field string // "" for COUNT()
	alias string // the name in the answer: the field, the alias, or exprN
}

// cond is one condition of the WHERE clause.
type cond struct {
	field  string
	op     string // = != < <= > >= IN
	values []any  // one, or IN's list; same types as record values
}

func (q *soql) aggregate() bool {
	for _, it := range q.items {
		if it.fn != "" {
			return true
		}
	}
	return len(q.groupBy) > 0
}

// token kinds.
const (
	tokWord   = iota // identifiers and keywords
	tokString        // 'quoted'
	tokValue         // numbers, dates, dateTimes: begins with a digit
	tokPunct         // ( ) , and operators
	tokEnd
)

type token struct {
	kind int
	text string // the string's value for tokString
}

func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			v, n, err := unquote(s[i:])
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tokString, v})
			i += n
		case isLetter(c):
			j := i
			for j < len(s) && (isLetter(s[j]) || isDigit(s[j]) || s[j] == '_' || s[j] == '.') {
				j++
			}
			toks = append(toks, token{tokWord, s[i:j]})
			i = j
		case isDigit(c) || c == '-' && i+1 < len(s) && isDigit(s[i+1]):
			j := i + 1
			for j < len(s) && (isLetter(s[j]) || isDigit(s[j]) || strings.IndexByte(":.+-", s[j]) >= 0) {
				j++
			}
			toks = append(toks, token{tokValue, s[i:j]})
			i = j
		case c == '(' || c == ')' || c == ',' || c == '=':
			toks = append(toks, token{tokPunct, s[i : i+1]})
			i++
		case c == '<' || c == '>' || c == '!':
			if i+1 < len(s) && s[i+1] == '=' {
				toks = append(toks, token{tokPunct, s[i : i+2]})
				i += 2
				continue
			}
			if c == '!' {
				return nil, malformed("unexpected token: '!'")
			}
			toks = append(toks, token{tokPunct, s[i : i+1]})
			i++
		default:
			return nil, malformed("unexpected token: '%c'", c)
		}
	}
	return append(toks, token{kind: tokEnd}), nil
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// unquote reads a quoted string at the start of s and returns its value and
// the number of bytes it took, with SOQL's escape sequences.
func unquote(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			return b.String(), i + 1, nil
		case '\\':
			if i+1 >= len(s) {
				return "", 0, malformed("unterminated string")
			}
			i++
			switch e := s[i]; e {
			case 'n', 'N':
				b.WriteByte('\n')
			case 'r', 'R':
				b.WriteByte('\r')
			case 't', 'T':
				b.WriteByte('\t')
			case 'b', 'B':
				b.WriteByte('\b')
			case 'f', 'F':
				b.WriteByte('\f')
			case '"', '\'', '\\':
				b.WriteByte(e)
			case 'u':
				if i+4 >= len(s) {
					return "", 0, malformed("invalid escape sequence")
				}
				r, err := strconv.ParseUint(s[i+1:i+5], 16, 32)
				if err != nil {
					return "", 0, malformed("invalid escape sequence \\u%s", s[i+1:i+5])
				}
				b.WriteRune(rune(r))
				i += 4
			default:
				return "", 0, malformed("invalid escape sequence \\%c", e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, malformed("unterminated string")
}

// parser walks the tokens of one query.
type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEnd {
		p.pos++
	}
	return t
}

// keyword reports whether the next token is the keyword kw, and takes it.
func (p *parser) keyword(kw string) bool {
	if t := p.peek(); t.kind == tokWord && strings.EqualFold(t.text, kw) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) punct(s string) bool {
	if t := p.peek(); t.kind == tokPunct && t.text == s {
		p.pos++
		return true
	}
	return false
}

func (p *parser) word() (string, error) {
	t := p.next()
	if t.kind != tokWord || reserved(t.text) {
		return "", malformed("unexpected token: '%s'", t.text)
	}
	return t.text, nil
}

var keywords = []string{"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "GROUP", "BY", "ORDER", "LIMIT", "HAVING", "OFFSET", "WITH"}

func reserved(w string) bool {
	for _, k := range keywords {
		if strings.EqualFold(w, k) {
			return true
		}
	}
	return false
}

// parse reads a query and checks it against the schema.
func parse(s string) (*soql, error) {
	if strings.TrimSpace(s) == "" {
		return nil, malformed("SOQL statements cannot be empty or null")
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	q := &soql{}
	if !p.keyword("SELECT") {
		return nil, malformed("unexpected token: '%s'", p.peek().text)
	}
	exprs := 0
	for {
		it, err := p.item(&exprs)
		if err != nil {
			return nil, err
		}
		q.items = append(q.items, it)
		if !p.punct(",") {
			break
		}
	}
	if !p.keyword("FROM") {
		return nil, malformed("unexpected token: '%s'", p.peek().text)
	}
	if q.object, err = p.word(); err != nil {
		return nil, err
	}
	if p.keyword("WHERE") {
		for {
			c, err := p.cond()
			if err != nil {
				return nil, err
			}
			q.conds = append(q.conds, c)
			if !p.keyword("AND") {
				break
			}
		}
	}
	if p.keyword("GROUP") {
		if !p.keyword("BY") {
			return nil, malformed("unexpected token: '%s'", p.peek().text)
		}
		for {
			f, err := p.word()
			if err != nil {
				return nil, err
			}
			q.groupBy = append(q.groupBy, f)
			if !p.punct(",") {
				break
			}
		}
	}
	if p.keyword("LIMIT") {
		t := p.next()
		n, err := strconv.Atoi(t.text)
		if t.kind != tokValue || err != nil || n < 1 {
			return nil, malformed("unexpected token: '%s'", t.text)
		}
		q.limit = n
	}
	if t := p.peek(); t.kind != tokEnd {
		return nil, malformed("unexpected token: '%s' (the stand-in reads a subset of SOQL)", t.text)
	}
	return q, check(q)
}

// item reads one element of the SELECT list; exprs counts the unaliased
// aggregates so far, which Salesforce names expr0, expr1, ...
func (p *parser) item(exprs *int) (item, error) {
	name, err := p.word()
	if err != nil {
		return item{}, err
	}
	fn := strings.ToUpper(name)
	if (fn != "COUNT" && fn != "SUM") || !p.punct("(") {
		return item{field: name, alias: name}, nil
	}
	it := item{fn: fn}
	if !p.punct(")") {
		if it.field, err = p.word(); err != nil {
			return item{}, err
		}
		if !p.punct(")") {
			return item{}, malformed("unexpected token: '%s'", p.peek().text)
		}
	} else if fn == "SUM" {
		return item{}, malformed("SUM() needs a field")
	}
	if t := p.peek(); t.kind == tokWord && !reserved(t.text) {
		it.alias = p.next().text
	} else if it.field != "" {
		it.alias = "expr" + strconv.Itoa(*exprs)
		*exprs++
	}
	return it, nil
}

// cond reads one condition; its values are typed later, by check.
func (p *parser) cond() (cond, error) {
	f, err := p.word()
	if err != nil {
		return cond{}, err
	}
	c := cond{field: f}
	if p.keyword("IN") {
		c.op = "IN"
		if !p.punct("(") {
			return cond{}, malformed("unexpected token: '%s'", p.peek().text)
		}
		for {
			v, err := p.literal()
			if err != nil {
				return cond{}, err
			}
			c.values = append(c.values, v)
			if p.punct(")") {
				return c, nil
			}
			if !p.punct(",") {
				return cond{}, malformed("unexpected token: '%s'", p.peek().text)
			}
		}
	}
	t := p.next()
	switch t.text {
	case "=", "!=", "<", "<=", ">", ">=":
		if t.kind != tokPunct {
			return cond{}, malformed("unexpected token: '%s'", t.text)
		}
		c.op = t.text
	default:
		return cond{}, malformed("unexpected token: '%s' (the stand-in reads only AND of comparisons and IN)", t.text)
	}
	v, err := p.literal()
	if err != nil {
		return cond{}, err
	}
	c.values = []any{v}
	return c, nil
}

// literal is a value as written: a token, kept raw until check types it
// against its field.
type literal token

func (p *parser) literal() (literal, error) {
	t := p.next()
	switch {
	case t.kind == tokString, t.kind == tokValue:
		return literal(t), nil
	case t.kind == tokWord && (strings.EqualFold(t.text, "true") || strings.EqualFold(t.text, "false") || strings.EqualFold(t.text, "null")):
		return literal(t), nil
	}
	return literal{}, malformed("unexpected token: '%s'", t.text)
}
