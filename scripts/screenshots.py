"""The README's screenshots: the demo's network with an outlet's panel open, and the top of its report.

Run by hand from the project folder (needs playwright and Debian's chromium, as the browser tests do):

    python scripts/screenshots.py [--out docs/images] [--full-page-report]

It runs ``citegraph demo -o TMP`` (the sample web served on 127.0.0.1 and crawled; nothing leaves the
machine) in a temporary folder, opens TMP/network.html in headless Chromium at 1280x800, waits until
the network has drawn and vis-network's physics has settled ("stabilized", or at most --settle
seconds), turns physics off so nothing moves, folds the filters away, clicks the most connected outlet
with the mouse so its panel opens, and writes OUT/network.png. Then it opens TMP/report.html and writes
OUT/report.png: the top of the report at the same viewport, or the whole page with --full-page-report.
Every request that is not file: or data: is aborted and reported. The temporary folder is removed at the
end.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # the same as tests/conftest.py
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
FULL_PAGE_LIMIT = 1.5 * 2**20  # bytes; a larger report image is not worth its weight in the repository

# Resolves when the physics has settled, or after `ms` (then the caller turns it off anyway).
SETTLE = """(ms) => new Promise((done) => {
    const net = window.citegraph.network;
    if (!net.physics.options.enabled) return done("physics off");
    const timer = setTimeout(() => done("still moving after " + ms + " ms"), ms);
    net.once("stabilized", () => { clearTimeout(timer); done("stabilized"); });
})"""
# The whole network, as large as it fits, in the part of the view that the panel (on the right) leaves free.
FRAME_LEFT = """(panel) => {
    const net = window.citegraph.network;
    const box = document.getElementById("cg-network").getBoundingClientRect();
    const ids = window.citegraph.data.nodes.map((n) => n.id);
    const boxes = ids.map((id) => net.getBoundingBox(id));
    const left = Math.min(...boxes.map((b) => b.left)), right = Math.max(...boxes.map((b) => b.right));
    const top = Math.min(...boxes.map((b) => b.top)), bottom = Math.max(...boxes.map((b) => b.bottom));
    const scale = Math.min(0.9 * (box.width - panel) / (right - left), 0.85 * box.height / (bottom - top));
    net.moveTo({position: {x: (left + right) / 2, y: (top + bottom) / 2}, scale: scale,
                offset: {x: -panel / 2, y: 0}, animation: false});
}"""
# The outlet with the most citation edges, and where it is drawn in page coordinates.
BUSIEST = """() => {
    const api = window.citegraph, net = api.network, degree = new Map();
    api.data.edges.forEach((e) => [e.from, e.to].forEach((id) => degree.set(id, (degree.get(id) || 0) + 1)));
    const top = api.data.nodes.slice().sort((a, b) => (degree.get(b.id) || 0) - (degree.get(a.id) || 0))[0];
    const dom = net.canvasToDOM(net.getPositions([top.id])[top.id]);
    const box = document.getElementById("cg-network").getBoundingClientRect();
    return {id: top.id, name: top.name, edges: degree.get(top.id) || 0, x: box.left + dom.x, y: box.top + dom.y};
}"""
FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def run_demo(folder: Path) -> None:
    """``citegraph demo -o folder`` with this checkout's code, in ``folder`` so no citegraph.toml applies."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "citegraph", "demo", "-o", str(folder), "--no-progress"],
                          cwd=folder, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"screenshots: `citegraph demo` failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    for name in ("network.html", "report.html"):
        if not (folder / name).exists():
            raise SystemExit(f"screenshots: `citegraph demo` wrote no {name}:\n{done.stdout[-2000:]}")
    print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "demo done", flush=True)


def start_browser():
    """(playwright, browser), or a clear message when either is missing."""
    if not CHROMIUM.exists():
        raise SystemExit(f"screenshots: {CHROMIUM} is missing; install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise SystemExit("screenshots: the playwright package is missing; pip install playwright "
                         "(the browser itself is Debian's /usr/bin/chromium, no playwright download needed)")
    driver = sync_playwright().start()
    try:
        return driver, driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Error as error:  # a broken install is reported like a missing one
        driver.stop()
        raise SystemExit(f"screenshots: chromium did not start: {error}")


def new_page(browser, blocked: list, errors: list):
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    return context, page


def network_image(browser, html: Path, out: Path, settle_s: float, blocked: list, errors: list) -> str:
    context, page = new_page(browser, blocked, errors)
    try:
        page.goto(html.as_uri())
        # functions, not strings: the page's Content-Security-Policy forbids eval
        page.wait_for_function("() => window.citegraph && window.citegraph.ready", timeout=60_000)
        settled = page.evaluate(SETTLE, int(settle_s * 1000))
        page.evaluate("() => window.citegraph.setPhysics(false)")  # nothing moves from here on
        page.evaluate("() => { document.getElementById('cg-controls').open = false; }")
        page.evaluate(FRAME_LEFT, 420)
        page.evaluate(FRAMES)
        node = page.evaluate(BUSIEST)
        page.mouse.click(node["x"], node["y"])
        page.wait_for_selector("#cg-panel:not([hidden])", timeout=20_000)
        page.mouse.move(5, VIEWPORT["height"] - 5)  # no tooltip over the picture
        page.evaluate(FRAMES)
        page.wait_for_timeout(300)  # the tooltip's fade
        shown = page.inner_text("#cg-panel-body h2")
        page.screenshot(path=str(out))
        return f"{settled}; clicked {node['name']} ({node['edges']} edges), panel of {shown}"
    finally:
        context.close()


def report_image(browser, html: Path, out: Path, full_page: bool, blocked: list, errors: list) -> str:
    from playwright.sync_api import Error as PlaywrightError

    context, page = new_page(browser, blocked, errors)
    try:
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        if full_page:  # the embedded network draws only once in view (Chromium holds back hidden frames)
            for element in page.query_selector_all("iframe"):
                element.scroll_into_view_if_needed()
                try:
                    element.content_frame().wait_for_function(
                        "() => !window.citegraph || window.citegraph.ready", timeout=20_000)
                except PlaywrightError as error:
                    errors.append(f"the network embedded in the report was not drawn: {error}")
            page.evaluate("() => window.scrollTo(0, 0)")
        page.evaluate(FRAMES)
        page.screenshot(path=str(out), full_page=full_page)
        if full_page and out.stat().st_size > FULL_PAGE_LIMIT:
            page.screenshot(path=str(out))
            return "the full page came to more than 1.5 MB: the top of the report instead"
        return "the full page" if full_page else "the top of the report"
    finally:
        context.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="folder of the images")
    ap.add_argument("--settle", type=float, default=8.0, help="seconds to wait at most for the physics to settle")
    ap.add_argument("--full-page-report", action="store_true", help="the whole report, not only its top")
    args = ap.parse_args(argv)
    driver, browser = start_browser()
    blocked, errors = [], []
    try:
        with tempfile.TemporaryDirectory(prefix="citegraph-screenshots-") as tmp:
            folder = Path(tmp)
            run_demo(folder)
            args.out.mkdir(parents=True, exist_ok=True)
            what = network_image(browser, folder / "network.html", args.out / "network.png", args.settle, blocked, errors)
            print(f"wrote {args.out / 'network.png'} ({(args.out / 'network.png').stat().st_size / 1024:.0f} KB): {what}")
            what = report_image(browser, folder / "report.html", args.out / "report.png", args.full_page_report,
                                blocked, errors)
            print(f"wrote {args.out / 'report.png'} ({(args.out / 'report.png').stat().st_size / 1024:.0f} KB): {what}")
    finally:
        browser.close()
        driver.stop()
    if blocked:
        print(f"requests aborted (not file: or data:): {len(blocked)}" + "".join(f"\n  {u}" for u in blocked[:20]))
    if errors:
        print(f"page and console errors: {len(errors)}" + "".join(f"\n  {e[:200]}" for e in errors[:20]))


if __name__ == "__main__":
    main()
