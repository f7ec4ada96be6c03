"""Self-contained HTML pages: pictures embedded as data URIs, JavaScript inlined, nothing fetched from a network."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from planner.report.style import ATTRIBUTION_FULL

CSS = """
:root { --ink:#1a1a1a; --muted:#5a5a5a; --line:#d9d9d9; --accent:#0a5fa8; --bad:#c0392b; --good:#1e7d4f; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; color: var(--ink); margin: 0; background: #fafafa;
       line-height: 1.4; font-size: 15px; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 28px 40px; background: white; }
h1 { font-size: 26px; margin: 6px 0 4px; }
h2 { font-size: 20px; margin: 30px 0 8px; padding-top: 8px; border-top: 2px solid var(--line); }
h3 { font-size: 16px; margin: 18px 0 6px; }
p.lead { color: var(--muted); margin: 2px 0 10px; }
nav { font-size: 14px; margin: 8px 0 4px; }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; margin: 10px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fcfcfc; }
.card .label { font-size: 12.5px; color: var(--muted); }
.card .value { font-size: 22px; font-weight: 700; margin: 2px 0; }
.card .note { font-size: 12px; color: var(--muted); }
.card.bad .value { color: var(--bad); } .card.good .value { color: var(--good); }
table.data { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; width: 100%; }
table.data th { background: #f0f3f7; text-align: left; padding: 5px 7px; border-bottom: 2px solid #c8cfd8;
                position: sticky; top: 0; }
table.data td { padding: 4px 7px; border-bottom: 1px solid #ececec; vertical-align: top; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data tr:hover td { background: #f7fafd; }
.scroll { max-height: 560px; overflow: auto; border: 1px solid var(--line); }
figure { margin: 10px 0 18px; }
figure img { width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
.tag { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; background: #eef2f6; }
.tag.a { background: #dce8f5; } .tag.b { background: #fbe3d2; } .tag.both { background: #f1e7c5; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.small { font-size: 12.5px; color: var(--muted); }
.notice { border-left: 4px solid var(--bad); background: #fdf3f2; padding: 8px 12px; margin: 10px 0; }
.notice ul { margin: 4px 0 0; padding-left: 20px; }
ul.figures { margin: 6px 0 12px; padding-left: 20px; } ul.figures li { margin: 3px 0; }
footer { margin-top: 30px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 8px; }
@media print { body { background: white; } main { max-width: none; padding: 0; } .scroll { max-height: none; }
               h2 { page-break-before: auto; } figure { page-break-inside: avoid; } nav { display: none; } }
"""


def esc(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def data_uri(path: str | Path, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def figure_html(path: str | Path, caption: str = "", alt: str = "") -> str:
    """A PNG embedded in the page (base64), with a caption."""
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="{data_uri(path)}" alt="{esc(alt or caption)}">{cap}</figure>'


def cards_html(cards: Iterable[tuple[str, str, str, str]]) -> str:
    """KPI cards: (label, value, note, tone) with tone '', 'good' or 'bad'."""
    out = []
    for label, value, note, tone in cards:
        out.append(
            f'<div class="card {tone}"><div class="label">{esc(label)}</div><div class="value">{esc(value)}</div>'
            f'<div class="note">{esc(note)}</div></div>'
        )
    return '<div class="cards">' + "".join(out) + "</div>"


Formatter = Callable[[Any], str]


def table_html(
    df: pd.DataFrame,
    formats: dict[str, Formatter] | None = None,
    *,
    headers: dict[str, str] | None = None,
    numeric: Sequence[str] = (),
    scroll: bool = False,
    raw: Sequence[str] = (),
    table_id: str = "",
) -> str:
    """An HTML table of `df`: `formats` per column (default str), `headers` to rename, `numeric` columns right
    aligned, `raw` columns already HTML (not escaped)."""
    formats = formats or {}
    headers = headers or {}
    cols = list(df.columns)
    num = set(numeric) | {c for c in cols if c in formats and pd.api.types.is_numeric_dtype(df[c])}
    th = "".join(f'<th class="{"num" if c in num else ""}">{esc(headers.get(c, c))}</th>' for c in cols)
    rows = []
    for rec in df.itertuples(index=False):
        tds = []
        for c, v in zip(cols, rec, strict=True):
            text = formats[c](v) if c in formats else ("" if v is None or (isinstance(v, float) and pd.isna(v)) else v)
            cell = str(text) if c in raw else esc(text)
            tds.append(f'<td class="{"num" if c in num else ""}">{cell}</td>')
        rows.append("<tr>" + "".join(tds) + "</tr>")
    ident = f' id="{esc(table_id)}"' if table_id else ""
    table = f'<table class="data"{ident}><thead><tr>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return f'<div class="scroll">{table}</div>' if scroll else table


def page(title: str, body: str, *, head: str = "") -> str:
    """A complete HTML page with the house CSS; `head`: extra head content (inline scripts only)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{esc(title)}</title>\n'
        f"<style>{CSS}</style>\n{head}\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def footer_html() -> str:
    """The page's footer: the data attribution."""
    return f"<footer>{esc(ATTRIBUTION_FULL)}</footer>"
