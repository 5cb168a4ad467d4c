"""Rebuild ``helsinki_cut.osm.pbf`` from the real Helsinki extract (run from the repo root).

``python tests/data/cut_osm.py PATH/TO/Helsinki.osm.pbf``. Keeps the nodes inside the box,
every way with at least one of them (with all its node references, so ways crossing the box
edge lose the nodes outside it, as in any cut extract), and every relation with a kept
member.
"""

import sys
from pathlib import Path

import osmium

BOX = (24.9400, 60.1715, 24.9535, 60.1792)  # west, south, east, north
TARGET = Path(__file__).with_name("helsinki_cut.osm.pbf")


def main(source: str) -> None:
    nodes, ways = set(), set()
    for entity in osmium.FileProcessor(source, osmium.osm.NODE | osmium.osm.WAY):
        if entity.is_node():
            lon, lat = entity.location.lon, entity.location.lat
            if BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3]:
                nodes.add(entity.id)
        elif any(node.ref in nodes for node in entity.nodes):
            ways.add(entity.id)
    with osmium.SimpleWriter(str(TARGET), overwrite=True) as writer:
        for entity in osmium.FileProcessor(source):
            if entity.is_node() and entity.id in nodes:
                writer.add_node(entity)
            elif entity.is_way() and entity.id in ways:
                writer.add_way(entity)
            elif entity.is_relation() and any(
                (m.type == "n" and m.ref in nodes) or (m.type == "w" and m.ref in ways)
                for m in entity.members
            ):
                writer.add_relation(entity)


if __name__ == "__main__":
    main(sys.argv[1])
