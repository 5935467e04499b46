"""A CJK font for matplotlib, from the ``mplfonts`` package (Noto Sans CJK SC, SIL OFL).

matplotlib ships no CJK font and a missing glyph is only a warning, so figures silently show
empty boxes on machines without a system CJK font. :func:`cjk_rc` registers the packaged
font once and returns rc settings to use inside ``matplotlib.rc_context``; nothing changes
matplotlib's global configuration.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from importlib import resources
from pathlib import Path

FONT_FILE = "NotoSansCJKsc-Regular.otf"


@cache
def cjk_font_path() -> Path:
    """Path of the packaged CJK font file."""
    path = Path(str(resources.files("mplfonts").joinpath(f"fonts/{FONT_FILE}")))
    if not path.is_file():
        raise FileNotFoundError(f"{FONT_FILE} not found in the mplfonts package; reinstall it")
    return path


@cache
def cjk_font_name() -> str:
    """Register the CJK font with matplotlib (once) and return its family name."""
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def cjk_rc() -> dict[str, object]:
    """rc settings for figures with Chinese text: ``with matplotlib.rc_context(cjk_rc()):``."""
    # A concrete family name, not "sans-serif": text artists keep it, so the figure renders
    # right even when it is drawn or saved after the context has closed.
    return {
        "font.family": [cjk_font_name(), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
    }


def font_face_css(text: str, family: str = "xref CJK") -> str:
    """A CSS ``@font-face`` rule embedding the CJK font, cut down to the characters of
    ``text``, so a page renders Chinese on machines without a CJK font and stays small."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    font = subset.load_font(str(cjk_font_path()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))  # a page's text is megabytes
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'@font-face {{ font-family: "{family}"; '
        f'src: url(data:font/otf;base64,{data}) format("opentype"); }}'
    )
