"""Search latency on >= 100,000 pages: through the app vs the same request sent straight to ES.

    .venv/bin/python -m bench.search_latency [--quick] [--es-url URL] [--reps N] [--rebuild]

Corpus: the 2,914 AILA 2019 judgments (Indian Supreme Court, plain text) and the 24 born-digital
Supreme Court of Pakistan judgments, split into ~2.5 KB pages at paragraph/sentence boundaries, then
repeated with varied document ids, districts, document types and years until the target page count
(100,000; 20,000 with --quick) is reached. Statutes and citations on each page come from legalrefs,
as the pipeline's extraction step would store them. The index lives under var/ (the node's data
dir) with the prefix ``benchlat`` and is reused by later runs (``--rebuild`` forces a new one).

Measured for a fixed mix of queries (words, phrases, proximity, prefixes, fuzzy words, statute and
citation references, fields, OR/NOT, facet filters), each for a three-district user and an
all-districts user, after one warm-up pass:
  (a) through the app: GET /api/v1/search on a real HTTP server running ``search_app.create_app``,
      logged in as a bench user (falls back to ``service.search`` in-process if the app is missing);
  (b) the same Elasticsearch request body sent straight to ES with the official client (baseline);
      and the same body without the Urdu/English glossary terms (the cost of search across languages);
  and in-process ``service.search`` (parse + build + ES + typed results) for reference.
The three take turns on every query (interleaved), so load from other processes hits them alike.
Targets: p95 <= 150 ms through the app, and <= 1.5 x the direct p95.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import statistics
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from config import shared_dir
from indexer.aliases import alias_targets, create_index, delete_indices, swap_alias
from indexer.bulk import BulkAction, BulkOptions, write
from indexer.documents import DocumentContext, PageEntities, PageIndexDoc, statute_keys_with_broader
from legalrefs import RefKind, find_references
from search_app.search import Scope, SearchRequest, parse, search
from search_app.search.glossary import expand
from search_app.search.query_builder import build_search

REPO = Path(__file__).resolve().parent.parent
CORPUS = shared_dir() / "corpus"
AILA_TAR = CORPUS / "aila2019" / "Object_casedocs.tar.gz"
PK_DIGITAL = CORPUS / "pk-supreme-court" / "digital"
WORK = REPO / "var" / "bench-search"
PAGE_CHARS = 2500
DISTRICTS = [f"District {i:02d}" for i in range(1, 26)]
DOC_TYPES = ["judgment", "fir", "charge_sheet", "statement", "medical_report", "order", "other"]
STAGES = ["under_investigation", "submitted_to_court", "charge_framed", "judgment", "appeal_or_revision", "closed"]

QUERY_MIX = [
    "murder",
    "bail granted",
    '"dying declaration"',
    '"last seen together"~3',
    "murd*",
    "witnes~ evidence",
    "302 PPC",
    "section 302 of the Pakistan Penal Code",
    "s.302 P.P.C. bail",
    "AIR 1960 SC 1",
    "section:302",
    "acquittal OR conviction",
    "robbery -dacoity",
    "circumstantial evidence motive",
    "year:1990..2000 murder",
    "type:judgment appeal dismissed",
    "(poison OR arsenic) deceased",
    "land acquisition compensation",
    "police station recovery weapon",
    "cross examination contradiction",
]


# --- corpus -----------------------------------------------------------------------------------------


def split_pages(text: str, size: int = PAGE_CHARS) -> list[str]:
    """Cut a judgment into ~``size``-character pages at paragraph, else sentence, else word ends."""
    text = re.sub(r"[ \t]+", " ", text).strip()
    pages: list[str] = []
    while len(text) > size * 1.3:
        window = text[:size]
        cut = max(window.rfind("\n"), window.rfind(". "))
        if cut < size // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = size
        pages.append(text[:cut + 1].strip())
        text = text[cut + 1:]
    if text.strip():
        pages.append(text.strip())
    return pages


def aila_documents(work: Path = WORK) -> Iterator[tuple[str, str]]:
    """(C-id, text) for every AILA case document, unpacked once under var/."""
    folder = work / "Object_casedocs"
    if not folder.is_dir():
        work.mkdir(parents=True, exist_ok=True)
        with tarfile.open(AILA_TAR) as tar:
            tar.extractall(work, filter="data")
    for path in sorted(folder.glob("C*.txt"), key=lambda p: int(p.stem[1:])):
        yield path.stem, path.read_text(encoding="utf-8", errors="replace")


def pk_documents() -> Iterator[tuple[str, str]]:
    import pypdfium2 as pdfium

    for path in sorted(PK_DIGITAL.glob("*.pdf")):
        pdf = pdfium.PdfDocument(path)
        try:
            text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        finally:
            pdf.close()
        yield path.stem, text


@dataclass(frozen=True)
class BasePage:
    doc_key: str
    page_no: int
    text: str
    statutes: tuple[str, ...]
    citations: tuple[str, ...]


def _refs(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    refs = find_references(text, [RefKind.STATUTE, RefKind.CITATION])
    statutes = statute_keys_with_broader(r.key for r in refs if r.kind is RefKind.STATUTE)
    citations = list(dict.fromkeys(r.key for r in refs if r.kind is RefKind.CITATION))
    return tuple(statutes), tuple(citations)


def base_pages(work: Path = WORK) -> list[BasePage]:
    """Unique pages with their references, cached as JSON lines (extraction takes about a minute)."""
    cache = work / "base_pages.jsonl"
    if cache.exists():
        return [BasePage(**{**row, "statutes": tuple(row["statutes"]), "citations": tuple(row["citations"])})
                for row in map(json.loads, cache.read_text(encoding="utf-8").splitlines())]
    pages: list[BasePage] = []
    for key, text in [*aila_documents(work), *pk_documents()]:
        for no, page_text in enumerate(split_pages(text), start=1):
            statutes, citations = _refs(page_text)
            pages.append(BasePage(key, no, page_text, statutes, citations))
    work.mkdir(parents=True, exist_ok=True)
    with cache.open("w", encoding="utf-8") as out:
        for page in pages:
            out.write(json.dumps(page.__dict__, ensure_ascii=False) + "\n")
    return pages


# --- index --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchSettings:
    es_index_prefix: str


def _records(pages: list[BasePage], target: int) -> Iterator[PageIndexDoc]:
    doc_keys = list(dict.fromkeys(p.doc_key for p in pages))
    doc_no = {k: i for i, k in enumerate(doc_keys)}
    made = 0
    copy = 0
    while made < target:
        for page in pages:
            if made >= target:
                return
            base_id = doc_no[page.doc_key]
            document_id = copy * 100_000 + base_id + 1
            rng = random.Random(document_id)
            district_no = rng.randrange(len(DISTRICTS))
            doc_type = DOC_TYPES[rng.randrange(len(DOC_TYPES))]
            year = 1980 + rng.randrange(45)
            context = DocumentContext(
                document_id=document_id, title=f"{page.doc_key} copy {copy}", doc_type=doc_type,
                district_id=district_no + 1, district=DISTRICTS[district_no], case_id=document_id,
                case_stage=STAGES[rng.randrange(len(STAGES))], is_case_law=doc_type == "judgment",
                year=year, doc_date=None, court="Supreme Court" if doc_type == "judgment" else "",
            )
            yield PageIndexDoc(context, page.page_no, page.text, None, "eng", "text_layer", 90.0,
                               PageEntities(statutes=page.statutes, citations=page.citations))
            made += 1
        copy += 1


def build_index(es: Elasticsearch, settings: BenchSettings, target: int, rebuild: bool) -> tuple[str, float]:
    alias = f"{settings.es_index_prefix}-pages"
    targets = alias_targets(es, alias)
    if targets and not rebuild:
        es.indices.refresh(index=alias)
        count = int(es.count(index=alias)["count"])
        if count >= target:
            return targets[0], 0.0
    pages = base_pages()
    index = f"{settings.es_index_prefix}-pages-v1-{int(time.time())}"
    create_index(es, index, "pages")
    es.indices.put_settings(index=index, settings={"index": {"refresh_interval": "-1"}})
    started = time.perf_counter()
    actions = (BulkAction("index", index, r.es_id, r.to_source()) for r in _records(pages, target))
    write(es, actions, BulkOptions(chunk_size=1000))
    es.indices.put_settings(index=index, settings={"index": {"refresh_interval": "1s"}})
    es.indices.refresh(index=index)
    es.indices.forcemerge(index=index, max_num_segments=5)
    seconds = time.perf_counter() - started
    delete_indices(es, swap_alias(es, alias, index))
    return index, seconds


# --- measurement --------------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) + 1)) - 1))
    return ordered[k]


def summary(name: str, values: list[float]) -> str:
    return (f"{name:<34} n={len(values):4d}  p50={percentile(values, 50):7.1f} ms  "
            f"p95={percentile(values, 95):7.1f} ms  mean={statistics.mean(values):7.1f} ms")


Case = tuple[str, Scope]


def cases() -> list[Case]:
    district_user = Scope.districts([3, 7, 11])
    return [(q, s) for q in QUERY_MIX for s in (district_user, Scope.everything())]


Runner = Callable[[str, Scope], Any]


def measure(runners: dict[str, Runner], mix: list[Case], reps: int) -> dict[str, list[float]]:
    """Milliseconds per call for each runner, in the order rep 1 case 1..n, rep 2 case 1..n, ...

    The runners take turns on every case (interleaved), so a burst of load from other processes on
    this shared machine hits all of them alike instead of whichever happened to run at that moment.
    """
    for text, scope in mix:  # warm-up pass (caches, JIT)
        for run in runners.values():
            run(text, scope)
    out: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(reps):
        for text, scope in mix:
            for name, run in runners.items():
                started = time.perf_counter()
                run(text, scope)
                out[name].append((time.perf_counter() - started) * 1000)
    return out


def slowest(values: list[float], mix: list[Case], top: int = 3) -> str:
    """The queries with the highest median time (what drives the p95)."""
    per_query: dict[str, list[float]] = {}
    for i, ms in enumerate(values):
        per_query.setdefault(mix[i % len(mix)][0], []).append(ms)
    ranked = sorted(per_query.items(), key=lambda kv: -statistics.median(kv[1]))[:top]
    return ", ".join(f"{q!r} {statistics.median(v):.0f} ms" for q, v in ranked)


def direct_runner(es: Elasticsearch, alias: str, took: list[float],
                  glossary: bool = True) -> Callable[[str, Scope], Any]:
    """The baseline: the very body the service would send, built once per case outside the timing.
    ``took`` collects Elasticsearch's own server-side time of each answer. ``glossary=False`` sends
    the body without the Urdu/English glossary terms (what cross-language search costs)."""
    cache: dict[tuple[str, Scope], dict[str, Any]] = {}

    def run(text: str, scope: Scope) -> Any:
        key = (text, scope)
        if key not in cache:
            node = expand(parse(text)) if glossary else parse(text)
            cache[key] = build_search(node, SearchRequest(text=text), scope)
        response = es.search(index=alias, body=cache[key])
        took.append(float(response["took"]))
        return response

    return run


def service_runner(es: Elasticsearch, settings: BenchSettings) -> Callable[[str, Scope], Any]:
    return lambda text, scope: search(es, settings, SearchRequest(text=text), scope)


# --- through the app ----------------------------------------------------------------------------------


BENCH_PASSWORD = "bench-search-latency-pw-2026"


def _app_settings(es_url: str, prefix: str) -> Any:
    from config import Settings

    var = WORK / "app"
    var.mkdir(parents=True, exist_ok=True)
    return Settings(environment="test", var_dir=var, es_url=es_url, es_index_prefix=prefix,  # type: ignore[arg-type]
                    secret_key="bench-secret-" + "x" * 40, login_max_failures=50, _env_file=None)  # type: ignore[call-arg]


def _bench_users(settings: Any) -> None:
    """Districts 1..25 and two users: one limited to districts 3, 7, 11 and one for all districts."""
    from sqlalchemy import select

    from models import Base, District, Role, User, make_engine, make_session_factory, session_scope
    from models.migrate import upgrade_database
    from search_app.auth.passwords import hash_password

    engine = make_engine(settings.sqlalchemy_url)
    upgrade_database(engine)
    # Tables the web app declares but no migration creates yet (e.g. its session table) are created
    # directly, so the bench does not depend on migration order.
    Base.metadata.create_all(engine)
    with session_scope(make_session_factory(engine)) as db:
        if db.scalar(select(User).where(User.username == "bench_district")) is None:
            districts = [District(name=name) for name in DISTRICTS]
            db.add_all(districts)
            db.flush()
            pw = hash_password(BENCH_PASSWORD)
            by_id = {d.id: d for d in districts}
            db.add(User(username="bench_district", password_hash=pw, role=Role.PROSECUTOR,
                        districts=[by_id[3], by_id[7], by_id[11]]))
            # A province-wide prosecutor: the same read scope as a supervisor, without the MFA step.
            db.add(User(username="bench_all", password_hash=pw, role=Role.PROSECUTOR, all_districts=True))
    engine.dispose()


def _login(base: str, username: str) -> Any:
    import http.cookiejar
    import urllib.parse
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"username": username, "password": BENCH_PASSWORD, "csrf_token": token.group(1) if token else "",
            "next": "/api/v1/search?q=bail"}
    opener.open(f"{base}/login", data=urllib.parse.urlencode(form).encode()).read()
    check = opener.open(f"{base}/api/v1/search?q=murder")
    if check.status != 200:
        raise RuntimeError(f"bench login as {username} failed: HTTP {check.status}")
    return opener


def app_runner(es_url: str, prefix: str) -> tuple[Callable[[str, Scope], Any] | None, str]:
    """GET /api/v1/search on a real local HTTP server; None if the app cannot be started."""
    import threading
    import urllib.parse

    try:
        from werkzeug.serving import make_server

        from search_app import create_app

        settings = _app_settings(es_url, prefix)
        app = create_app(settings)
        _bench_users(settings)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access-log line per request
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        openers = {"district": _login(base, "bench_district"), "all": _login(base, "bench_all")}
    except Exception as exc:
        print(f"app not available ({type(exc).__name__}: {str(exc)[:200]}); measuring service.search instead")
        return None, "service.search (app unavailable)"

    def run(text: str, scope: Scope) -> Any:
        opener = openers["all" if scope.all_districts else "district"]
        with opener.open(f"{base}/api/v1/search?{urllib.parse.urlencode({'q': text})}") as response:
            return json.loads(response.read())

    return run, "through the app (HTTP /api/v1/search)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 pages, 2 repetitions")
    parser.add_argument("--es-url", default=os.environ.get("CMMS_ES_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--pages", type=int, default=None)
    parser.add_argument("--reps", type=int, default=None)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    target = args.pages or (20_000 if args.quick else 100_000)
    reps = args.reps or (2 if args.quick else 5)
    settings = BenchSettings("benchlatq" if args.quick else "benchlat")
    es = Elasticsearch(args.es_url, request_timeout=300)
    es.cluster.health(wait_for_status="yellow", timeout="30s")

    index, seconds = build_index(es, settings, target, args.rebuild)
    alias = f"{settings.es_index_prefix}-pages"
    count = int(es.count(index=alias)["count"])
    size_mb = int(es.indices.stats(index=index)["_all"]["primaries"]["store"]["size_in_bytes"]) / 1e6
    built = f"built in {seconds:.0f} s ({count / seconds:.0f} pages/s)" if seconds else "reused"
    print(f"index {index}: {count} pages, {size_mb:.0f} MB, {built}")

    mix = cases()
    app_run, app_label = app_runner(args.es_url, settings.es_index_prefix)
    took: list[float] = []
    runners = {"direct": direct_runner(es, alias, took), "service": service_runner(es, settings),
               "no_glossary": direct_runner(es, alias, [], glossary=False)}
    if app_run is not None:
        runners["app"] = app_run
    times = measure(runners, mix, reps)
    took = took[len(mix):]  # drop the warm-up pass
    direct, service = times["direct"], times["service"]
    through_app = times.get("app", service)
    print(f"query mix: {len(QUERY_MIX)} queries x 2 scopes x {reps} repetitions (after 1 warm-up pass)")
    print(f"machine load average (1/5/15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    print(summary("(b) direct to Elasticsearch", direct))
    print(summary("    of which ES server 'took'", took))
    print(summary("    service.search in-process", service))
    print(summary("    direct, without glossary terms", times["no_glossary"]))
    print(summary(f"(a) {app_label}", through_app))
    print(f"slowest through the app (median): {slowest(through_app, mix)}")
    fuzzy = {i for i, (text, _) in enumerate(mix) if "~" in text and not text.endswith('"~3')}
    def plain(values: list[float]) -> list[float]:
        return [ms for i, ms in enumerate(values) if i % len(mix) not in fuzzy]
    print(f"without the fuzzy query: app p95 {percentile(plain(through_app), 95):.1f} ms, "
          f"direct p95 {percentile(plain(direct), 95):.1f} ms")
    ratio = percentile(through_app, 95) / percentile(direct, 95)
    p95 = percentile(through_app, 95)
    verdict = "PASS" if ratio <= 1.5 and p95 <= 150 else "FAIL"
    print(f"p95 ratio app/direct = {ratio:.2f} (target <= 1.5); app p95 {p95:.1f} ms (target <= 150 ms): "
          f"{verdict}")


if __name__ == "__main__":
    main()
