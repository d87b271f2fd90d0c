"""The performance suite of roark-tui: `python -m benchmarks` (or `./dev bench`).

Every figure is measured against a reference in the same run (interleaved, medians), so the
ratios hold on a busy or slow machine; see benchmarks/README-section.md.
"""
