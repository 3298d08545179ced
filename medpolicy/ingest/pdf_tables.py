"""Ruled tables on a PDF page: pdfplumber's table finder fed with ruling lines read by PDFium.

pdfplumber finds tables well but is slow because pdfminer parses every glyph of the page first
(~10 pages/s on our corpus). Its table finder itself only needs the page's *edges* (ruling lines
and rectangle sides). We read those edges from PDFium's path objects, which costs about a
millisecond, and hand them to pdfplumber's `TableFinder` unchanged, so the cells are the ones
pdfplumber would find. Cell text comes from PDFium's bounded-text query.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table, TableSettings, cells_to_tables, edges_to_intersections, merge_edges
from pdfplumber.utils import filter_edges

from .pdf_settings import LAYOUT, PdfLayout

# pdfplumber's defaults, spelled out so the tests can refer to them
TABLE_SETTINGS = TableSettings.resolve({"vertical_strategy": "lines", "horizontal_strategy": "lines"})

# Form XObjects nested deeper than this are not entered: a guard against hostile nesting, not a
# layout threshold, so it is not one of the PdfLayout settings.
_FORM_DEPTH = 4
_TEXT, _PATH, _IMAGE, _FORM = (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE,
                               pdfium_c.FPDF_PAGEOBJ_FORM)


@dataclass
class FoundTable:
    """A ruled table: its bbox (top-down page coordinates) and rows of cell bboxes (None where a
    spanning cell covers the slot)."""

    bbox: tuple[float, float, float, float]
    rows: list[list[tuple[float, float, float, float] | None]]

    @property
    def n_columns(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def contains(self, x0: float, top: float, x1: float, bottom: float, *, slack: float) -> bool:
        """True when the centre of the box lies inside the table grown by `slack` points."""
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        bx0, btop, bx1, bbottom = self.bbox
        return bx0 - slack <= cx <= bx1 + slack and btop - slack <= cy <= bbottom + slack


class _EdgePage:
    """The three attributes of a pdfplumber Page that TableFinder reads."""

    def __init__(self, edges: list[dict], width: float, height: float):
        self.edges = edges
        self.bbox = (0.0, 0.0, width, height)
        self.chars: list[dict] = []


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str, kind: str) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": kind}


def _rect_edges(x0: float, top: float, x1: float, bottom: float) -> list[dict]:
    return [
        _edge(x0, top, x1, top, "h", "rect_edge"),
        _edge(x0, bottom, x1, bottom, "h", "rect_edge"),
        _edge(x0, top, x0, bottom, "v", "rect_edge"),
        _edge(x1, top, x1, bottom, "v", "rect_edge"),
    ]


class _Reader:
    """Walks a page's path objects (into form XObjects) and collects edges in top-down space."""

    def __init__(self, page_top: float, page_left: float, layout: PdfLayout):
        self.page_top = page_top
        self.page_left = page_left
        self.layout = layout
        self.edges: list[dict] = []
        self.images = 0
        self._l = ctypes.c_float()
        self._b = ctypes.c_float()
        self._r = ctypes.c_float()
        self._t = ctypes.c_float()
        self._x = ctypes.c_float()
        self._y = ctypes.c_float()
        self._m = pdfium_c.FS_MATRIX()

    def walk_page(self, page) -> None:
        self._walk(page, pdfium_c.FPDFPage_CountObjects(page), pdfium_c.FPDFPage_GetObject, None, 0)

    def _walk(self, parent, count: int, get_object, ctm, depth: int) -> None:
        # Most objects on a page are text: one loop with the calls bound to locals, rather than
        # a method call per object, since a page can hold thousands of objects.
        get_type = pdfium_c.FPDFPageObj_GetType
        for i in range(count):
            obj = get_object(parent, i)
            kind = get_type(obj)
            if kind == _TEXT:
                continue
            if kind == _PATH:
                self._path(obj, ctm)
            elif kind == _IMAGE:
                self.images += 1
            elif kind == _FORM and depth < _FORM_DEPTH:
                pdfium_c.FPDFPageObj_GetMatrix(obj, self._m)
                m = self._m
                own = (m.a, m.b, m.c, m.d, m.e, m.f)
                inner = own if ctm is None else _compose(own, ctm)
                self._walk(obj, pdfium_c.FPDFFormObj_CountObjects(obj), pdfium_c.FPDFFormObj_GetObject, inner,
                           depth + 1)

    def _to_page(self, x: float, y: float, ctm) -> tuple[float, float]:
        if ctm is not None:
            a, b, c, d, e, f = ctm
            x, y = a * x + c * y + e, b * x + d * y + f
        return x - self.page_left, self.page_top - y

    def _path(self, obj, ctm) -> None:
        if not pdfium_c.FPDFPageObj_GetBounds(obj, self._l, self._b, self._r, self._t):
            return
        n = pdfium_c.FPDFPath_CountSegments(obj)
        if n <= 0:
            return
        (x0, y0), (x1, y1) = (self._to_page(self._l.value, self._b.value, ctm),
                              self._to_page(self._r.value, self._t.value, ctm))
        x0, x1 = min(x0, x1), max(x0, x1)
        top, bottom = min(y0, y1), max(y0, y1)
        w, h = x1 - x0, bottom - top
        lay = self.layout
        if w < lay.path_min_pt and h < lay.path_min_pt:
            return
        thin = lay.ruling_max_thickness_pt
        if (w <= thin or h <= thin) and n <= lay.thin_path_max_segments:
            # a ruling drawn as a line or as a thin filled rectangle: one edge along its middle
            if w >= h:
                mid = (top + bottom) / 2
                self.edges.append(_edge(x0, mid, x1, mid, "h", "line"))
            else:
                mid = (x0 + x1) / 2
                self.edges.append(_edge(mid, top, mid, bottom, "v", "line"))
            return
        if n > lay.grid_path_max_segments:
            return
        self._segments(obj, n, ctm)

    def _segments(self, obj, n: int, ctm) -> None:
        """Horizontal and vertical straight pieces of an arbitrary path (rectangles, grids drawn
        as one path); curves contribute nothing, as a curve is never a table ruling."""
        pdfium_c.FPDFPageObj_GetMatrix(obj, self._m)
        m = self._m
        own = (m.a, m.b, m.c, m.d, m.e, m.f)
        full = own if ctm is None else _compose(own, ctm)
        start = prev = None
        get_seg = pdfium_c.FPDFPath_GetPathSegment
        for i in range(n):
            seg = get_seg(obj, i)
            pdfium_c.FPDFPathSegment_GetPoint(seg, self._x, self._y)
            pt = self._to_page(self._x.value, self._y.value, full)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = prev = pt
            else:
                if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
                    self._straight(prev, pt)
                prev = pt
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and prev is not None:
                self._straight(prev, start)
                prev = start

    def _straight(self, p: tuple[float, float], q: tuple[float, float]) -> None:
        (px, py), (qx, qy) = p, q
        slack, shortest = self.layout.ruling_axis_slack_pt, self.layout.path_min_pt
        if abs(py - qy) < slack and abs(px - qx) >= shortest:
            self.edges.append(_edge(min(px, qx), py, max(px, qx), py, "h", "curve_edge"))
        elif abs(px - qx) < slack and abs(py - qy) >= shortest:
            self.edges.append(_edge(px, min(py, qy), px, max(py, qy), "v", "curve_edge"))


def _compose(inner, outer):
    """Matrix product: apply `inner` then `outer` (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def page_edges(page, page_top: float, page_left: float, layout: PdfLayout = LAYOUT) -> tuple[list[dict], int]:
    """Ruling edges of a PDFium page in pdfplumber's edge format (top-down coordinates), and
    the number of images met on the way (a page of images and no text is a scan)."""
    reader = _Reader(page_top, page_left, layout)
    reader.walk_page(page)
    return reader.edges, reader.images


def could_hold_table(edges: list[dict], layout: PdfLayout = LAYOUT) -> bool:
    """Cheap test before running the finder: a grid needs two horizontal and two vertical
    rulings of some length."""
    h_min, v_min = layout.table_min_h_ruling_pt, layout.table_min_v_ruling_pt
    h = sum(1 for e in edges if e["orientation"] == "h" and e["width"] >= h_min)
    v = sum(1 for e in edges if e["orientation"] == "v" and e["height"] >= v_min)
    return h >= 2 and v >= 2


def _finder_edges(edges: list[dict]) -> list[dict]:
    """TableFinder.get_edges for the "lines" strategies, on our edges."""
    st = TABLE_SETTINGS
    v = filter_edges(edges, "v", min_length=st.edge_min_length_prefilter)
    h = filter_edges(edges, "h", min_length=st.edge_min_length_prefilter)
    merged = merge_edges(v + h, snap_x_tolerance=st.snap_x_tolerance, snap_y_tolerance=st.snap_y_tolerance,
                         join_x_tolerance=st.join_x_tolerance, join_y_tolerance=st.join_y_tolerance)
    return filter_edges(merged, min_length=st.edge_min_length)


def _intersections_to_cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber.table.intersections_to_cells with the same result, indexed instead of
    rescanning every point for every point (quadratic: seconds on a page of ICD-10 tables)."""
    bboxes = {pt: ({_bbox(e) for e in d["v"]}, {_bbox(e) for e in d["h"]}) for pt, d in intersections.items()}
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for pt in sorted(intersections):
        by_x.setdefault(pt[0], []).append(pt)
        by_y.setdefault(pt[1], []).append(pt)

    def connects(p1, p2) -> bool:
        if p1[0] == p2[0] and not bboxes[p1][0].isdisjoint(bboxes[p2][0]):
            return True
        return p1[1] == p2[1] and not bboxes[p1][1].isdisjoint(bboxes[p2][1])

    cells = []
    for pt in sorted(intersections):
        below = [q for q in by_x[pt[0]] if q[1] > pt[1]]
        right = [q for q in by_y[pt[1]] if q[0] > pt[0]]
        found = None
        for b in below:
            if not connects(pt, b):
                continue
            for r in right:
                if not connects(pt, r):
                    continue
                corner = (r[0], b[1])
                if corner in intersections and connects(corner, r) and connects(corner, b):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _bbox(e: dict) -> tuple[float, float, float, float]:
    return (e["x0"], e["top"], e["x1"], e["bottom"])


def find_tables(edges: list[dict], width: float, height: float, layout: PdfLayout = LAYOUT) -> list[FoundTable]:
    """pdfplumber's lattice table finder (TableFinder with the "lines" strategies) over the
    given edges."""
    if not could_hold_table(edges, layout):
        return []
    st = TABLE_SETTINGS
    merged = _finder_edges(edges)
    intersections = edges_to_intersections(merged, st.intersection_x_tolerance, st.intersection_y_tolerance)
    cells = _intersections_to_cells(intersections)
    page = _EdgePage(edges, width, height)
    found = []
    for group in cells_to_tables(cells):
        rows = [list(r.cells) for r in Table(page, group).rows]
        # A row cut by the page edge is the end of a row from the page before (its rulings run
        # on under the clip); what shows of it is margin, where the running header lives.
        rows = [r for r in rows if _inside(r, height, layout.page_edge_slack_pt)]
        boxes = [c for r in rows for c in r if c is not None]
        if boxes:
            bbox = (min(c[0] for c in boxes), min(c[1] for c in boxes), max(c[2] for c in boxes),
                    max(c[3] for c in boxes))
            found.append(FoundTable(bbox=bbox, rows=rows))
    return found


def _inside(row: list, height: float, slack: float) -> bool:
    boxes = [c for c in row if c is not None]
    return bool(boxes) and min(c[1] for c in boxes) >= -slack and max(c[3] for c in boxes) <= height + slack
