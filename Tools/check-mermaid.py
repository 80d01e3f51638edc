#!/usr/bin/env python3
"""Renders every ```mermaid block of Markdown files with Mermaid itself, in headless Chromium.

    Tools/check-mermaid.py --mermaid-js PATH/mermaid.min.js FILE.md...

Prints one line per diagram (`FILE.md #N: ok` or the error Mermaid gives) and exits 1 if any
diagram fails to render: a check, by hand, that the pictures of the Markdown report (WorkflowPicture's
Mermaid text) render as GitHub and GitLab render them. Not run by CI (Chromium stays out of it).

Needs Chromium (Debian: apt install chromium) and a mermaid.min.js; PyPI's artoo-mermaid ships
Mermaid 11.16's, for example:

    pip download --no-deps artoo-mermaid==11.16.0 --python-version 3.12 --only-binary=:all: -d /tmp/m
    python3 -m zipfile -e /tmp/m/artoo_mermaid-11.16.0-py3-none-any.whl /tmp/m/x
    Tools/check-mermaid.py --mermaid-js /tmp/m/x/artoo_mermaid/assets/mermaid.min.js Fixtures/expected/*/migration-report.md
"""
import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

PAGE = """<!doctype html><html><head><meta charset="utf-8"><script src="mermaid.min.js"></script></head>
<body><pre id="result">pending</pre><script>
const texts = %s;
mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
(async () => {
  const out = [];
  for (let i = 0; i < texts.length; i++) {
    try {
      const {svg} = await mermaid.render('d' + i, texts[i]);
      out.push(svg.includes('Syntax error') || svg.includes('Maximum text size') ? 'error: rendered as an error' : 'ok');
    } catch (e) { out.push('error: ' + String(e).split('\\n').join(' ').slice(0, 300)); }
  }
  document.getElementById('result').textContent = JSON.stringify(out);
})();
</script></body></html>"""


def blocks(path):
    with open(path, encoding="utf-8") as handle:
        return re.findall(r"^```mermaid\n(.*?)^```$", handle.read(), re.S | re.M)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mermaid-js", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    labels, texts = [], []
    for path in args.files:
        for number, text in enumerate(blocks(path), 1):
            labels.append(f"{path} #{number}")
            texts.append(text)
    if not texts:
        sys.exit("check-mermaid: no ```mermaid block in the files given")
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(args.mermaid_js, os.path.join(folder, "mermaid.min.js"))
        page = os.path.join(folder, "page.html")
        with open(page, "w", encoding="utf-8") as handle:
            handle.write(PAGE % json.dumps(texts))
        run = subprocess.run(
            [args.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=120000", "--dump-dom", page],
            capture_output=True, text=True, timeout=600)
    found = re.search(r'<pre id="result">(.*?)</pre>', run.stdout, re.S)
    if not found or found.group(1) == "pending":
        sys.exit("check-mermaid: Chromium gave no result: " + run.stderr[-500:])
    results = json.loads(html.unescape(found.group(1)))
    failed = 0
    for label, result in zip(labels, results):
        print(f"{label}: {result}")
        failed += result != "ok"
    print(f"check-mermaid: {len(results) - failed} rendered, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
