"""render.warning_lines against render.warning: the same bytes on a console without styles.

A large roster's warnings (tens of thousands) are written as one block where Rich would lay
out each line; the block must be what Rich writes, for any message: control and invisible
characters, line breaks, tabs, markup-like brackets, wide characters, Indonesian.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revmental_cli import render
from revmental_cli.messages import Msg

MESSAGES = st.lists(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
        | st.sampled_from("\n\t\x1b[]/"),
        max_size=60,
    ),
    max_size=6,
)


def _written(monkeypatch: pytest.MonkeyPatch, write: object) -> str:
    buffer = io.StringIO()
    render.err.cache_clear()
    monkeypatch.setattr("sys.stderr", buffer)
    assert callable(write)
    write()
    render.err.cache_clear()
    return buffer.getvalue()


@pytest.mark.parametrize("lang", ["en", "id"])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=MESSAGES)
def test_warning_lines_writes_what_warning_writes(
    monkeypatch: pytest.MonkeyPatch, lang: str, texts: list[str]
) -> None:
    monkeypatch.setenv("REVMENTAL_LANG", lang)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    messages = [
        *texts,
        *(Msg("line {line}: NIP {nip}: check the NIP", line=i, nip=t) for i, t in enumerate(texts)),
    ]
    one_by_one = _written(monkeypatch, lambda: [render.warning(m) for m in messages])
    as_block = _written(monkeypatch, lambda: render.warning_lines(messages))
    assert as_block == one_by_one
