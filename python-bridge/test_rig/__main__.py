"""python3 -m test_rig COMMAND PATH... [PATTERN...] [test-rig options]

COMMAND is run, list or describe. PATHs are Python test files or directories
of test_*.py files; other words are test patterns (default: every Python
test) and test-rig options such as --config, -H, --report-json.
"""
import os
import sys

import test_rig_python

COMMANDS = ("run", "list", "describe")


def translate(argv):
    """test-rig arguments for `python3 -m test_rig` arguments."""
    if not argv or argv[0] not in COMMANDS:
        return None
    command, options, paths, patterns = argv[0], [], [], []
    words = iter(argv[1:])
    for word in words:
        if word.startswith("-"):
            options.append(word)
            # An option's value follows it unless given with '='.
            if "=" not in word and word not in ("-v", "--verbose", "--strict", "--help", "-h",
                                                "--no-password-prompt", "--sandbox-keep",
                                                "--sandbox-tls", "--version", "--sandbox"):
                value = next(words, None)
                if value is not None:
                    options.append(value)
        elif word.endswith(".py") or os.path.isdir(word):
            paths.append(word)
        else:
            patterns.append(word)
    if not paths:
        return None
    args = options[:]
    for path in paths:
        args += ["--python-tests", path]
    if command == "run" and not patterns:
        patterns = ["python"]
    return args + [command] + patterns


def main():
    args = translate(sys.argv[1:])
    if args is None:
        sys.stderr.write(__doc__.strip() + "\n")
        return 2
    sys.stdout.flush()
    return test_rig_python._main(args)


if __name__ == "__main__":
    sys.exit(main())
