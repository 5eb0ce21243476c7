#!/usr/bin/env python3
"""An independent reader for Strikemap's PowerPoint decks (python-pptx), used by tests/pptx_deck.rs.

    read_deck.py describe DECK.pptx   prints the deck as JSON: slide size, the master's layouts,
                                      and per slide its layout, title, every text frame's text,
                                      its tables' cells, its pictures and its notes
    read_deck.py template OUT.pptx    writes python-pptx's own default template (4:3, "Office
                                      Theme", eleven layouts) as an organisation's template
"""
import json
import sys

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE


def describe(path):
    deck = Presentation(path)
    slides = []
    for slide in deck.slides:
        texts, tables, pictures = [], [], 0
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                tables.append([[cell.text for cell in row.cells] for row in shape.table.rows])
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                pictures += 1
        title = slide.shapes.title.text if slide.shapes.title is not None else None
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else None
        slides.append({
            "layout": slide.slide_layout.name,
            "title": title,
            "texts": texts,
            "tables": tables,
            "pictures": pictures,
            "notes": notes,
        })
    return {
        "width": deck.slide_width,
        "height": deck.slide_height,
        "layouts": [layout.name for layout in deck.slide_layouts],
        "title": deck.core_properties.title,
        "slides": slides,
    }


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == "describe":
        print(json.dumps(describe(path)))
    elif command == "template":
        Presentation().save(path)
    else:
        sys.exit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
