"""The layers of src/ (DESIGN.md, README's Layout): a file includes only headers of its own
layer or of layers below it. No debugger runs here: the sources are read."""

import os
import re
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Bottom first. expr/ and native/ know nothing of each other; the order only says which may
# include which.
LAYERS = ["base", "meta", "expr", "native", "clr", "eval", "engine", "enc", "front"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def includes(src):
    """[(layer of the file, file, layer of the included header, header)] of tree src/."""
    found = []
    for layer in sorted(os.listdir(src)):
        folder = os.path.join(src, layer)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".c", ".h")):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                inc_layer = inc.split("/")[0] if "/" in inc else layer
                found.append((layer, f"{layer}/{name}", inc_layer, inc))
    return found


def violations(src):
    """Every include that reaches up (or into an unknown folder), as text."""
    bad = []
    for layer, path, inc_layer, inc in includes(src):
        if layer not in LAYERS:
            bad.append(f"{path}: folder {layer}/ is not a known layer")
        elif inc_layer not in LAYERS:
            bad.append(f'{path}: includes "{inc}" of no known layer')
        elif LAYERS.index(inc_layer) > LAYERS.index(layer):
            bad.append(f'{path}: includes "{inc}" ({inc_layer}/ is above {layer}/)')
    return sorted(set(bad))


def test_layers_include_only_downward():
    bad = violations(os.path.join(REPO, "src"))
    assert not bad, "includes that reach up a layer:\n" + "\n".join(bad)


def test_evaluator_includes_no_engine_or_front_header():
    # the evaluator reaches the engine only through the frame context (eval/evhost.h)
    incs = [(p, i) for layer, p, il, i in includes(os.path.join(REPO, "src")) if layer == "eval"]
    assert any(i == "eval/evhost.h" for p, i in incs), incs
    bad = [(p, i) for p, i in incs if i.split("/")[0] in ("engine", "front")]
    assert not bad, bad


def test_engine_headers_not_included_below():
    below = ("base", "meta", "expr", "native", "clr", "eval")
    bad = [(p, i) for layer, p, il, i in includes(os.path.join(REPO, "src"))
           if layer in below and il == "engine"]
    assert not bad, bad


def test_checker_sees_a_violation():
    # the check itself can fail: an evaluator file that includes an engine header
    with tempfile.TemporaryDirectory() as tmp:
        for layer, name, text in (("eval", "x.c", '#include "eval/x.h"\n#include "engine/internal.h"\n'),
                                  ("eval", "x.h", '#include "clr/cordebug.h"\n'),
                                  ("engine", "y.c", '#include "eval/x.h"\n')):
            os.makedirs(os.path.join(tmp, layer), exist_ok=True)
            with open(os.path.join(tmp, layer, name), "w", encoding="utf-8") as f:
                f.write(text)
        assert violations(tmp) == ['eval/x.c: includes "engine/internal.h" (engine/ is above eval/)'], violations(tmp)


def test_readme_layout_names_every_layer():
    # README's Layout section describes the folders that exist
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    m = re.search(r"^## Layout\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    assert m, "README has no Layout section"
    layout = m.group(1)
    for layer in sorted(os.listdir(os.path.join(REPO, "src"))):
        if os.path.isdir(os.path.join(REPO, "src", layer)):
            assert f"src/{layer}" in layout, f"README's Layout does not name src/{layer}"
    assert sorted(d for d in os.listdir(os.path.join(REPO, "src"))
                  if os.path.isdir(os.path.join(REPO, "src", d))) == sorted(LAYERS)
