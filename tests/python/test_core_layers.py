"""core/'s folders are layers: each includes only its own headers and those
of the folders before it in LAYERS, so that no back-edge creeps in."""
import os
import re

CORE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "core")
LAYERS = ["base", "log", "config", "db", "errors", "engine", "plugin", "sandbox", "run", "report"]
INCLUDE = re.compile(r'^#include "core/([a-z_]+)/', re.MULTILINE)


def test_every_core_folder_is_a_layer():
    folders = {f for f in os.listdir(CORE) if os.path.isdir(os.path.join(CORE, f))}
    assert folders == set(LAYERS)


def test_no_folder_includes_a_later_one():
    back_edges = []
    for rank, layer in enumerate(LAYERS):
        allowed = set(LAYERS[:rank + 1])
        directory = os.path.join(CORE, layer)
        for name in sorted(os.listdir(directory)):
            text = open(os.path.join(directory, name), encoding="utf-8").read()
            for target in INCLUDE.findall(text):
                if target not in allowed:
                    back_edges.append("core/%s/%s includes core/%s" % (layer, name, target))
    assert back_edges == []
