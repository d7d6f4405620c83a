"""plugin_api.h only ever grows at the end: every struct of the frozen 1.0,
1.1, 1.2, 1.3 and 1.4 headers (tests/abi/) is a prefix of today's, field for field and
type for type, and every constant they define keeps its value. Offsets then
follow: same fields, same types, same order, same compiler rules."""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
CURRENT = os.path.join(ROOT, "plugin-api", "include", "test_rig", "plugin_api.h")
FROZEN = {minor: os.path.join(ROOT, "tests", "abi", "v1_" + minor, "test_rig", "plugin_api.h")
          for minor in ("0", "1", "2", "3", "4")}
STRUCT = re.compile(r"typedef struct (\w+) \{(.*?)\} \1;", re.DOTALL)
CONSTANT = re.compile(r"\b(RIG_\w+)\s*=\s*([^,}\n]+)")
DEFINE = re.compile(r"^#define (RIG_\w+) (\S+)$", re.MULTILINE)


def without_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)


def structs(path):
    """{struct: [normalised field declaration, ...]} in declaration order."""
    text = without_comments(open(path, encoding="utf-8").read())
    found = {}
    for name, body in STRUCT.findall(text):
        fields = [" ".join(d.split()) for d in body.split(";")]
        found[name] = [f for f in fields if f]
    return found


def constants(path):
    text = without_comments(open(path, encoding="utf-8").read())
    values = {name: " ".join(value.split()) for name, value in CONSTANT.findall(text)}
    values.update(dict(DEFINE.findall(text)))
    return values


def test_the_frozen_headers_are_older_minor_versions():
    for minor, path in FROZEN.items():
        assert constants(path)["RIG_ABI_VERSION_MINOR"] == minor
    assert int(constants(CURRENT)["RIG_ABI_VERSION_MINOR"]) > 4


def test_every_frozen_struct_is_a_prefix_of_todays():
    current = structs(CURRENT)
    assert len(current) >= 14, sorted(current)
    for minor, path in FROZEN.items():
        for name, fields in structs(path).items():
            assert name in current, "1.%s's %s is gone" % (minor, name)
            assert current[name][:len(fields)] == fields, (
                "1.%s's %s changed: %s became %s" % (minor, name, fields, current[name]))


def test_every_frozen_constant_keeps_its_value():
    current = constants(CURRENT)
    for minor, path in FROZEN.items():
        for name, value in constants(path).items():
            if name == "RIG_ABI_VERSION_MINOR":
                continue
            assert current.get(name) == value, "1.%s's %s = %s is now %s" % (
                minor, name, value, current.get(name))


LISTED = re.compile(r"^RIG_ABI_FIELD\((\w+), (\w+), \d+\)$", re.MULTILINE)
LAYOUT_LIST = os.path.join(ROOT, "plugin-api", "include", "test_rig", "sdk",
                           "abi_layout_list.h")


def field_names(declaration):
    """The names a normalised field declaration declares: `log` of a
    function pointer, `major`, `minor`, `patch` of `uint32_t major, minor,
    patch`."""
    pointer = re.search(r"\(\*(\w+)\)", declaration)
    if pointer:
        return [pointer.group(1)]
    first, *more = declaration.split(",")
    return [re.findall(r"(\w+)\s*$", first)[0]] + [name.strip() for name in more]


def test_every_field_of_todays_header_is_in_the_layout_list():
    listed = set(LISTED.findall(open(LAYOUT_LIST, encoding="utf-8").read()))
    missing = [(struct, name) for struct, fields in structs(CURRENT).items()
               for declaration in fields for name in field_names(declaration)
               if (struct, name) not in listed]
    assert not missing, "fields with no pinned offset in abi_layout_list.h: %s" % missing

