#!/usr/bin/env python3
"""Replaces one section of bench/RESULTS.md (or appends it): the section that starts with the given heading
and runs to the next "## " heading. Every bench script writes its results through this.

  bench/results_section.py "## Hazards: creation" "$section"
"""
import pathlib
import sys

HEADER = "# Benchmark results\n\nWritten by the scripts in bench/; each section is replaced when its script runs again.\n"


def main():
    heading, section = sys.argv[1], sys.argv[2].strip() + "\n"
    path = pathlib.Path(__file__).resolve().parent / "RESULTS.md"
    text = path.read_text() if path.exists() else HEADER
    start = text.find("\n" + heading)
    if start < 0:
        text = text.rstrip() + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start + 1] + section + (text[end:] if end >= 0 else "")
    path.write_text(text)


if __name__ == "__main__":
    main()
