"""The local API emulator, over the wire: real HTTP server, real `requests`, real payloads.

The corpus is built from ../shared/realdata, with a few records edited to give the
simulated clock something to do (a later version, a record that enters in the future).
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from lxml import etree

from litwatch.http import BadPayload
from litwatch.sources.pubmed_xml import parse_efetch, parse_esearch
from testkit.emulator import Emulator

REAL = Path(__file__).resolve().parents[2] / "shared" / "realdata"
if not REAL.is_dir():
    REAL = Path("/work/shared/realdata")
TODAY = "2026-11-16"


def _edit_study(src: Path, dest: Path, **changes: str) -> None:
    study = json.loads(src.read_text())
    proto = study["protocolSection"]
    if "sponsor" in changes:
        proto["sponsorCollaboratorsModule"]["leadSponsor"]["name"] = changes["sponsor"]
    if "title" in changes:
        proto["identificationModule"]["briefTitle"] = changes["title"]
    for key in ("studyFirstPostDateStruct", "lastUpdatePostDateStruct"):
        if key in changes:
            proto["statusModule"][key]["date"] = changes[key]
    dest.write_text(json.dumps(study, indent=2))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    pubmed, ctgov, feeds = (root / "pubmed", root / "ctgov", root / "feeds")
    for folder in (pubmed, ctgov, feeds):
        folder.mkdir()
    for src in (REAL / "pubmed").glob("metapub_*.xml"):
        shutil.copy(src, pubmed / (src.stem.rsplit("_", 1)[1] + ".xml"))
    shutil.copy(REAL / "pubmed/ncbiutils_pubmed.xml", pubmed / "several.xml")   # 5 records
    shutil.copy(REAL / "pubmed/biopython_pubmed4.xml", pubmed / "27797938.xml")  # indented
    v1 = (pubmed / "38011560.xml").read_text()
    (pubmed / "38011560.v2.xml").write_text(
        v1.replace("<DateRevised><Year>2023</Year><Month>12</Month><Day>11</Day>",
                   "<DateRevised><Year>2026</Year><Month>11</Month><Day>10</Day>")
          .replace("<ArticleTitle>Ketamine and", "<ArticleTitle>Zanzibar update: Ketamine and"))
    future = (pubmed / "38048813.xml").read_text()
    future = re.sub(r'(PubStatus="entrez"><Year>)2023(</Year><Month>)12(</Month><Day>)4',
                    r"\g<1>2026\g<2>11\g<3>20", future)
    (pubmed / "38048813.xml").write_text(future)
    for src in [*(REAL / "ctgov").glob("aact_NCT*.json"),
                *(REAL / "ctgov").glob("ctgov_mcp_study_*.json")]:
        if "versionHolder_2024" not in src.name:
            shutil.copy(src, ctgov / (re.search(r"NCT\d{8}", src.name)[0] + ".json"))
    _edit_study(REAL / "ctgov/aact_NCT03418623.json", ctgov / "NCT03418623.json",
                sponsor="Johnson & Johnson")
    _edit_study(ctgov / "NCT03934567.json", ctgov / "NCT03934567.v2.json",
                title="Zanzibar abexinostat", lastUpdatePostDateStruct="2026-11-12")
    _edit_study(ctgov / "NCT06171568.json", ctgov / "NCT06171568.json",
                studyFirstPostDateStruct="2026-11-20", lastUpdatePostDateStruct="2026-11-20")
    for src in (REAL / "feeds").glob("*.xml"):
        shutil.copy(src, feeds / src.name)
    return root


@pytest.fixture(scope="module")
def server(corpus: Path):
    with Emulator(corpus, today=TODAY) as emulator:
        yield emulator


@pytest.fixture
def emu(server: Emulator) -> Emulator:
    server.clear_faults()
    server.clear_log()
    server.set_today(TODAY)
    return server


def esearch_raw(emu: Emulator, **params: str | int) -> bytes:
    return requests.get(emu.eutils_url + "esearch.fcgi", params={"db": "pubmed", **params},
                        timeout=5).content


def search(emu: Emulator, term: str, **params: str | int) -> list[str]:
    return parse_esearch(esearch_raw(emu, term=term, retmax=1000, **params)).ids


def fetch(emu: Emulator, **params: str) -> list[str]:
    body = requests.post(emu.eutils_url + "efetch.fcgi",
                         data={"db": "pubmed", "retmode": "xml", **params}, timeout=5).content
    return [p.pmid for p in parse_efetch(body).papers]


def studies(emu: Emulator, **params: str | int) -> requests.Response:
    return requests.get(emu.ctgov_url + "studies", params=params, timeout=5)


def nct_ids(page: dict) -> list[str]:
    return [s["protocolSection"]["identificationModule"]["nctId"] for s in page["studies"]]


def children(xml: bytes) -> list[str]:
    return [el.tag for el in etree.fromstring(xml)]


# -- PubMed -----------------------------------------------------------------------------
def test_esearch_answers_in_the_real_shapes(emu: Emulator) -> None:
    assert children(esearch_raw(emu, term="ketamine")) == \
        children((REAL / "pubmed/biopython_esearch1.xml").read_bytes())
    assert children(esearch_raw(emu, term="ketamine", usehistory="y")) == \
        children((REAL / "pubmed/biopython_esearch2.xml").read_bytes())
    empty = esearch_raw(emu, term="abcXYZ")
    assert [t for t in children(empty)] == [t for t in children(
        (REAL / "pubmed/biopython_esearch8.xml").read_bytes()) if t != "ErrorList"]
    assert b"<IdList/>" in empty and b"No items found." in empty
    assert parse_esearch(empty).count == 0


@pytest.mark.parametrize("term, expected", [
    ("ketamine", {"38011560"}),
    ("KETAMINE or frailty", {"38011560", "37729413", "36987902"}),
    ('"rapid-acting antidepressant"[tiab]', {"38011560"}),
    ("rapid acting antidepressant[ti]", {"38011560"}),
    ("frailty depression bidirectional", {"37729413"}),
    ("depress*[ti] NOT ketamine", {"37729413", "34843274"}),
    ("depression[mh] AND (ketamine[mh] OR frailty[mh])", {"38011560", "37729413"}),
    ('"covid-19"[mh]', {"33278872", "34529508"}),
    ("adipose tissue[mh]", {"35196497"}),          # prefix phrase of "adipose tissue, brown"
    ('"randomized controlled trial"[pt]', {"28731372"}),
    ('"cell rep"[ta]', {"35196497", "35649368"}),
    ('(ketamine OR frailty) AND ("2023/11/01"[EDAT] : "3000"[EDAT])', {"38011560"}),
    ("frailty AND 2023/09/20:2023/09/20[edat]", {"37729413"}),
    ("2025/01/01:2025/12/31[mdat]", {"34843274", "35649368", "39382274"}),
    ("covid-19[mh] AND 2021[dp]", {"34529508"}),
    ("ketamine OR frailty AND review[pt]", {"38011560"}),   # left to right, as PubMed
])
def test_esearch_term_language(emu: Emulator, term: str, expected: set[str]) -> None:
    assert set(search(emu, term)) == expected


def test_esearch_date_parameters_and_paging(emu: Emulator) -> None:
    window = {"datetype": "edat", "mindate": "2023/09/01", "maxdate": "2023/11/30"}
    assert set(search(emu, "depression[mh]", **window)) == {"38011560", "37729413"}
    assert search(emu, "humans[mh]", datetype="mdat", mindate="2025", maxdate="2025") == \
        ["39382274", "35649368", "34843274"]
    everything = search(emu, "journal article[pt]")
    assert everything == sorted(everything, key=int, reverse=True) and len(everything) > 10
    pages = [parse_esearch(esearch_raw(emu, term="journal article[pt]", retstart=s, retmax=4))
             for s in range(0, len(everything), 4)]
    assert [i for page in pages for i in page.ids] == everything
    assert pages[1].retstart == 4 and pages[1].count == len(everything)


def test_esearch_errors_are_http_200_error_bodies(emu: Emulator) -> None:
    for term in ("(ketamine OR esketamine", "ketamine)"):
        body = esearch_raw(emu, term=term)
        assert b"<eSearchResult><ERROR>" in body
        with pytest.raises(BadPayload):
            parse_esearch(body)


def test_history_server_and_efetch(emu: Emulator) -> None:
    first = parse_esearch(esearch_raw(emu, term="ketamine", usehistory="y"))
    second = parse_esearch(esearch_raw(emu, term="frailty", usehistory="y",
                                       WebEnv=first.webenv))
    assert (first.query_key, second.query_key, second.webenv) == ("1", "2", first.webenv)
    both = parse_esearch(esearch_raw(emu, term="#1 OR #2", WebEnv=first.webenv))
    assert set(both.ids) == {"38011560", "37729413", "36987902"}
    assert fetch(emu, WebEnv=first.webenv, query_key="2") == ["37729413", "36987902"]
    all_types = parse_esearch(esearch_raw(emu, term="journal article[pt]", usehistory="y"))
    assert fetch(emu, WebEnv=all_types.webenv, query_key="1", retstart="2", retmax="3") == \
        all_types.ids[2:5]
    with pytest.raises(BadPayload):
        parse_efetch(requests.get(emu.eutils_url + "efetch.fcgi", timeout=5, params={
            "db": "pubmed", "WebEnv": "MCID_nope", "query_key": "1"}).content)


def test_efetch_get_post_unknown_ids_and_exact_bytes(emu: Emulator, corpus: Path) -> None:
    got = requests.get(emu.eutils_url + "efetch.fcgi", timeout=5,
                       params={"db": "pubmed", "id": "37729413,99999999,27797938"})
    assert [p.pmid for p in parse_efetch(got.content).papers] == ["37729413", "27797938"]
    assert fetch(emu, id="38329942, 38534005") == ["38329942", "38534005"]
    record = (corpus / "pubmed/38329942.xml").read_bytes().split(b"<PubmedArticleSet>\n")[1]
    body = requests.get(emu.eutils_url + "efetch.fcgi", params={"id": "38329942"},
                        timeout=5).content
    assert body == (corpus / "pubmed/38329942.xml").read_bytes().split(b"<PubmedArticleSet>")[0] \
        + b"<PubmedArticleSet>\n" + record.rstrip()     # byte for byte what efetch sent
    empty = requests.post(emu.eutils_url + "efetch.fcgi", data={"id": "1"}, timeout=5).content
    assert empty.strip() == (REAL / "pubmed/metapub_pmid_37909814.xml").read_bytes().strip()
    assert "\n" not in fetch_raw_line(emu, "27797938")   # indented sources served compact


def fetch_raw_line(emu: Emulator, pmid: str) -> str:
    body = requests.get(emu.eutils_url + "efetch.fcgi", params={"id": pmid}, timeout=5).text
    return body.split("<PubmedArticleSet>\n")[1].removesuffix("</PubmedArticleSet>")


def test_clock_hides_future_records_and_picks_versions(emu: Emulator) -> None:
    assert "38048813" not in search(emu, "humans[mh]") and fetch(emu, id="38048813") == []
    assert search(emu, "zanzibar") == ["38011560"]            # v2, revised 2026-11-10
    emu.set_today("2026-11-05")
    assert search(emu, "zanzibar") == [] and fetch(emu, id="38011560") == ["38011560"]
    reply = requests.post(emu.base_url + "/_control/today", json={"today": "2026-11-21"},
                          timeout=5)
    assert reply.json() == {"today": "2026-11-21"}
    assert "38048813" in search(emu, "humans[mh]") and fetch(emu, id="38048813") == ["38048813"]


# -- ClinicalTrials.gov -----------------------------------------------------------------------
def test_studies_queries_sort_filter_and_encoding(emu: Emulator) -> None:
    assert nct_ids(studies(emu, **{"query.intr": "dupilumab OR abexinostat"}).json()) == \
        ["NCT02210780", "NCT03934567"]
    assert nct_ids(studies(emu, **{"query.cond": '"atopic dermatitis"'}).json()) == \
        ["NCT02210780"]
    assert nct_ids(studies(emu, **{"query.term": "Johnson & Johnson"}).json()) == \
        ["NCT03418623"]
    page = studies(emu, sort="LastUpdatePostDate:asc", pageSize=100, countTotal="true").json()
    dates = [s["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"]
             for s in page["studies"]]
    assert dates == sorted(dates) and page["totalCount"] == len(dates) == 11
    assert "NCT06171568" not in nct_ids(page) and "nextPageToken" not in page
    recent = studies(emu, **{"filter.advanced": "AREA[LastUpdatePostDate]RANGE[2025-01-01,MAX]"})
    assert nct_ids(recent.json()) == ["NCT03934567"]
    assert recent.json()["studies"][0]["protocolSection"]["identificationModule"][
        "briefTitle"] == "Zanzibar abexinostat"
    old = studies(emu, **{"filter.advanced": "AREA[StudyFirstPostDate]RANGE[MIN,2008-12-31]"})
    assert nct_ids(old.json()) == ["NCT00184067", "NCT00763412"]


def test_studies_paging_tokens_and_errors(emu: Emulator) -> None:
    seen, token, pages = [], None, 0
    while True:
        page = studies(emu, pageSize=3, countTotal="true",
                       **({"pageToken": token} if token else {})).json()
        seen += nct_ids(page)
        pages += 1
        token = page.get("nextPageToken")
        if not token:
            break
    assert pages == 4 and len(seen) == len(set(seen)) == page["totalCount"] == 11
    first = studies(emu, pageSize=3).json()
    assert "totalCount" not in first
    wrong = studies(emu, pageSize=3, pageToken=first["nextPageToken"], **{"query.term": "x"})
    assert wrong.status_code == 400 and "message" in wrong.json()
    assert studies(emu, pageToken="garbage").status_code == 400
    too_big = studies(emu, pageSize=1001)
    assert too_big.status_code == 400 and too_big.headers["Content-Type"] == "application/json"


def test_single_study(emu: Emulator) -> None:
    got = requests.get(emu.ctgov_url + "studies/NCT02210780", timeout=5)
    assert got.json()["protocolSection"]["identificationModule"]["nctId"] == "NCT02210780"
    for missing in ("NCT99999999", "NCT06171568"):          # unknown; not posted yet
        reply = requests.get(emu.ctgov_url + "studies/" + missing, timeout=5)
        assert reply.status_code == 404 and "message" in reply.json()
    emu.set_today("2026-11-20")
    assert requests.get(emu.ctgov_url + "studies/NCT06171568", timeout=5).status_code == 200


# -- feeds -------------------------------------------------------------------------------
def test_feeds_conditional_get(emu: Emulator) -> None:
    url = emu.feed_url("pubmed_rss_new_species_2021-12-14.xml")
    first = requests.get(url, timeout=5)
    assert first.status_code == 200 and "xml" in first.headers["Content-Type"]
    assert first.content == (REAL / "feeds/pubmed_rss_new_species_2021-12-14.xml").read_bytes()
    again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    since = requests.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]},
                         timeout=5)
    assert (again.status_code, again.content, since.status_code) == (304, b"", 304)
    assert requests.get(emu.feed_url("nope.xml"), timeout=5).status_code == 404
    assert requests.get(emu.base_url + "/elsewhere", timeout=5).status_code == 404


# -- faults and the request log -------------------------------------------------------------
def test_http_error_faults_and_counting(emu: Emulator) -> None:
    emu.inject("esearch", "429", retry_after=3)
    emu.inject("esearch", 429)
    limited, bare = esearch_raw_reply(emu), esearch_raw_reply(emu)
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "3")
    assert bare.status_code == 429 and "Retry-After" not in bare.headers
    emu.inject("studies", "503", after=1, times=2)
    emu.inject("studies", "502", after=3)
    emu.inject("study", "500", times=None)
    assert [studies(emu).status_code for _ in range(5)] == [200, 503, 503, 502, 200]
    assert [(f["kind"], f["seen"], f["fired"]) for f in emu.faults()[2:4]] == \
        [("503", 3, 2), ("502", 4, 1)]
    assert requests.get(emu.ctgov_url + "studies/NCT02210780", timeout=5).status_code == 500


def esearch_raw_reply(emu: Emulator) -> requests.Response:
    return requests.get(emu.eutils_url + "esearch.fcgi", params={"term": "ketamine"}, timeout=5)


def test_wire_faults(emu: Emulator) -> None:
    emu.inject("efetch", "slow", seconds=0.3)
    started = time.monotonic()
    assert fetch(emu, id="38011560") == ["38011560"]
    assert time.monotonic() - started >= 0.3
    emu.inject("efetch", "truncate")
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        fetch(emu, id="38011560")
    emu.inject("efetch", "malformed")
    with pytest.raises(BadPayload, match="malformed"):
        fetch(emu, id="38011560")
    emu.inject("studies", "malformed")
    with pytest.raises(ValueError):
        studies(emu).json()
    emu.inject("esearch", "ncbi_error")
    with pytest.raises(BadPayload, match="NCBI error"):
        search(emu, "ketamine")
    emu.inject("efetch", "ncbi_error")
    with pytest.raises(BadPayload, match="NCBI error"):
        fetch(emu, id="38011560")
    emu.inject("feeds", "drop_connection")
    with pytest.raises(requests.ConnectionError):
        requests.get(emu.feed_url("biorxiv_rdf_bioengineering_1item.xml"), timeout=5)
    assert fetch(emu, id="38011560") == ["38011560"]          # and the server is still fine
    with pytest.raises(ValueError):
        emu.inject("feeds", "vanish")


def test_paging_faults(emu: Emulator) -> None:
    first = studies(emu, pageSize=3).json()
    emu.inject("studies", "repeat_token")
    second = studies(emu, pageSize=3, pageToken=first["nextPageToken"]).json()
    assert second["nextPageToken"] == first["nextPageToken"]
    emu.inject("studies", "vanish", times=None, nct_ids=["NCT03418623", "NCT03475563"])
    seen, page = [], studies(emu, pageSize=3).json()
    seen += nct_ids(page)
    while page.get("nextPageToken"):
        page = studies(emu, pageSize=3, pageToken=page["nextPageToken"]).json()
        seen += nct_ids(page)
    assert "NCT03418623" not in seen[3:] and "NCT03475563" not in seen[3:]
    assert len(seen) < 11


def test_control_api_and_request_log(emu: Emulator) -> None:
    reply = requests.post(emu.base_url + "/_control/faults", timeout=5,
                          json={"route": "efetch", "kind": "503", "times": 1})
    assert reply.json()["faults"][0]["kind"] == "503"
    assert requests.post(emu.eutils_url + "efetch.fcgi", data={"id": "1"},
                         timeout=5).status_code == 503
    search(emu, "ketamine")
    studies(emu, **{"query.term": "Johnson & Johnson"})
    assert (emu.count(), emu.count("efetch"), emu.count("esearch"), emu.count("studies")) == \
        (3, 1, 1, 1)
    last = emu.requests[-1]
    assert (last.route, last.method, last.status) == ("studies", "GET", 200)
    assert last.params["query.term"] == "Johnson & Johnson"
    assert emu.requests[0].params == {"id": "1"} and emu.requests[0].fault == "503"
    log = requests.get(emu.base_url + "/_control/log", timeout=5).json()["requests"]
    assert [r["route"] for r in log] == ["efetch", "esearch", "studies"]
    requests.delete(emu.base_url + "/_control/faults", timeout=5)
    requests.delete(emu.base_url + "/_control/log", timeout=5)
    assert emu.count() == 0 and emu.faults() == []


def test_cli_serves_until_sigterm(corpus: Path, tmp_path: Path) -> None:
    port_file = tmp_path / "port"
    proc = subprocess.Popen(
        [sys.executable, "-m", "testkit.emulator", "--corpus", str(corpus), "--port", "0",
         "--port-file", str(port_file), "--today", TODAY],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        port = int(port_file.read_text())
        assert re.fullmatch(r"litwatch emulator serving \d+ PubMed records, 12 studies, 3 feeds "
                            rf"on http://127.0.0.1:{port}\n", line)
        ids = parse_esearch(requests.get(f"http://127.0.0.1:{port}/entrez/eutils/esearch.fcgi",
                                         params={"term": "ketamine"}, timeout=5).content).ids
        assert ids == ["38011560"]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
    finally:
        proc.kill()
        proc.communicate()
