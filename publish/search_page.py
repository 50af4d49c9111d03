"""search.html for the static report: a search box over every finding, offline from disk.

The page carries the findings and the index's vocabulary (word -> stem, from
search_vocabulary) as inline JSON, and an inline script that reads a query the way
`findings search` does ("quoted phrases", common words dropped, each word stemmed by the
vocabulary), ranks findings by BM25 with the same constants (texts with every word first) and
marks the matched words. No server, no CDN, nothing fetched.
"""

from __future__ import annotations

import json

PAGE_SCRIPT = r"""
const DATA = JSON.parse(document.getElementById('search-data').textContent);
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
const STOP = new Set(DATA.stopwords), VOCAB = DATA.vocabulary, K1 = 1.2, B = 0.75;
function words(text) {
  const out = [], folded = text.replace(/\u2019/g, "'").toLowerCase();
  for (const m of folded.matchAll(WORD)) out.push([m[0], m.index, m.index + m[0].length]);
  return out;
}
const stem = w => VOCAB[w] || w;
const docs = DATA.findings.map(f => {
  const ws = words(f.text);
  return {f, ws, terms: ws.map(w => stem(w[0]))};
});
const avgdl = docs.reduce((n, d) => n + d.terms.length, 0) / Math.max(1, docs.length);
function parse(q) {
  const units = [];
  for (const tok of q.match(/"[^"]*"?|[^\s"]+/g) || []) {
    const phrase = tok.startsWith('"');
    let ws = words(tok).map(w => w[0]);
    if (!phrase) ws = ws.filter(w => !STOP.has(w));
    if (ws.length) units.push(ws.map(stem));
  }
  return units;
}
function starts(terms, unit) {
  const out = [];
  for (let i = 0; i + unit.length <= terms.length; i++)
    if (unit.every((t, j) => terms[i + j] === t)) out.push(i);
  return out;
}
function esc(s) {
  return s.replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
}
function marked(d, units) {
  const spans = [];
  for (const u of units) for (const i of starts(d.terms, u))
    spans.push([d.ws[i][1], d.ws[i + u.length - 1][2]]);
  spans.sort((a, b) => a[0] - b[0]);
  let out = '', at = 0;
  for (const [s, e] of spans) {
    if (s < at) continue;
    out += esc(d.f.text.slice(at, s)) + '<mark>' + esc(d.f.text.slice(s, e)) + '</mark>';
    at = e;
  }
  return out + esc(d.f.text.slice(at));
}
function run() {
  const q = document.getElementById('q').value, units = parse(q);
  const kind = document.getElementById('kind').value, out = document.getElementById('hits');
  const count = document.getElementById('count');
  if (!units.length) { out.innerHTML = ''; count.textContent = ''; return; }
  const tf = units.map(u => docs.map(d => starts(d.terms, u).length));
  const idf = tf.map(col => {
    const df = col.filter(n => n > 0).length;
    return Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
  });
  const hits = [];
  docs.forEach((d, i) => {
    if (kind && d.f.kind !== kind) return;
    let score = 0, matched = 0;
    units.forEach((u, k) => {
      const n = tf[k][i];
      if (!n) return;
      matched++;
      score += idf[k] * n * (K1 + 1) / (n + K1 * (1 - B + B * d.terms.length / avgdl));
    });
    if (matched) hits.push({d, score, matched});
  });
  hits.sort((a, b) => b.matched - a.matched || b.score - a.score);
  count.textContent = hits.length + ' finding' + (hits.length === 1 ? '' : 's')
    + (hits.length > 100 ? ', best 100 shown' : '');
  out.innerHTML = hits.slice(0, 100).map(h => {
    const f = h.d.f;
    return '<blockquote class="' + f.kind + '">' + marked(h.d, units) + '<br><span class="cite">' +
      '<a href="reports/' + f.page_file + '#' + f.anchor + '">' + esc(f.area) + ' ' + f.year +
      '</a> · ' + esc(f.criterion) + ' ' + f.kind + ' ' + f.seq + ' · page ' + f.page +
      ' · score ' + h.score.toFixed(2) + '</span></blockquote>';
  }).join('');
}
document.getElementById('q').addEventListener('input', run);
document.getElementById('kind').addEventListener('change', run);
if (location.hash.length > 1) {
  document.getElementById('q').value = decodeURIComponent(location.hash.slice(1));
}
run();
"""


def search_page_body(con, report_pages: dict[str, str], anchor) -> str:
    """The body of search.html: the box, the hits list, the data and the script."""
    findings = con.execute(
        "SELECT source_id, report_id, area, year, criterion, kind, seq, page, text"
        " FROM v_search_texts WHERE source = 'finding' ORDER BY report_id, source_id"
    ).fetchall()
    vocabulary = dict(con.execute(
        "SELECT word, term FROM search_vocabulary WHERE word <> term ORDER BY word").fetchall())
    stop = con.execute("SELECT search_stopwords()").fetchone()[0]
    data = {
        "stopwords": stop,
        "vocabulary": vocabulary,
        "findings": [
            {"anchor": anchor(fid), "page_file": report_pages.get(rid, ""), "area": area or "",
             "year": year, "criterion": criterion or "", "kind": kind or "", "seq": seq,
             "page": page, "text": text or ""}
            for fid, rid, area, year, criterion, kind, seq, page, text in findings
        ],
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return "\n".join([
        "<h1>Search findings</h1>",
        f'<p class="meta">{len(findings)} findings. Words match their other forms (victim, '
        'victims); "quoted words" match as a phrase; findings with every word come first, '
        "then by relevance (BM25). Works offline: everything is in this page.</p>",
        '<p><input id="q" type="search" size="60" autofocus placeholder='
        '\'e.g. victims "management oversight"\' aria-label="search findings"> '
        '<select id="kind" aria-label="kind"><option value="">strengths and areas for '
        'improvement</option><option value="strength">strengths</option>'
        '<option value="improvement">areas for improvement</option></select> '
        '<span id="count" class="meta"></span></p>',
        '<div id="hits"></div>',
        f'<script type="application/json" id="search-data">{payload}</script>',
        f"<script>{PAGE_SCRIPT}</script>",
    ])
