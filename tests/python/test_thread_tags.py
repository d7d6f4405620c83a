"""Every function of the plugin ABI carries exactly one thread tag, from the
closed vocabulary that plugin_api.h's convention 8 defines."""
import os
import re

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "plugin-api", "include", "test_rig", "plugin_api.h")
VOCABULARY = {"main-thread", "run-thread", "run-threads", "per-handle", "thread-safe"}
FUNCTION = re.compile(r"\(\*(\w+)\)\s*\(")
TAG = re.compile(r"\[([a-z][a-z-]*)\]")


def comment_blocks_and_functions(text):
    """Yields (comment, function name) for each function pointer, with the
    comment block nearest above it (one block may cover several)."""
    comment = ""
    in_comment = False
    for line in text.splitlines():
        if "/*" in line and not in_comment:
            comment, in_comment = "", True
        if in_comment:
            comment += line + "\n"
            if "*/" in line:
                in_comment = False
            continue
        match = FUNCTION.search(line)
        if match:
            yield comment, match.group(1)


def test_convention_8_defines_exactly_the_vocabulary():
    text = open(HEADER, encoding="utf-8").read()
    start = text.index(" *  8. Thread tags")
    section = text[start:text.index(" *  9. ", start)]
    defined = set(re.findall(r"^ \*\s+\[([a-z-]+)\]", section, re.MULTILINE))
    assert defined == VOCABULARY


def test_every_function_has_one_tag_from_the_vocabulary():
    text = open(HEADER, encoding="utf-8").read()
    body = text[text.index("/* ---- Status codes"):]
    functions = list(comment_blocks_and_functions(body))
    assert len(functions) > 40, functions
    for comment, name in functions:
        tags = [t for t in TAG.findall(comment) if t in VOCABULARY or "thread" in t]
        assert len(tags) == 1, (name, tags, comment)
        assert tags[0] in VOCABULARY, (name, tags)
