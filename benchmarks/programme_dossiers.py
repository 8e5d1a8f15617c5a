"""Instructeur's dossier list with 10,000 dossiers under 20 concurrent clients, on the real server.

Claim (issue 3): the instructeur's dossier list (/programme/dossiers/) answers with a p95 under
300 ms with 10,000 dossiers and 20 concurrent clients on loopback. The JSON list
(/api/programme/dossiers) is measured too. Baselines measured in the same run and under the same
load: the health endpoint (/sante/, no database, no template) and the signed-in home page (/,
session + user + base template) — the ratio says what the dossier list costs beyond the platform.

What it does: a fresh SQLite database in a temporary AMORCE_DATA_DIR (migrations), the 2018 demo
call, 10,000 generated dossiers (bulk_create, realistic states, scores, eligibility), one
instructeur account; then ``amorce serve`` (gunicorn, 2 workers) as a subprocess on a free
loopback port; each client signs in once through the login form (CSRF), then the clients fetch
first pages, filtered pages, later pages and searches. Two scenarios: saturation (no pause, each
client always has a request in flight) and an instructeur's pace (a pause of 0.5–1.5 s between two
pages). Latency is measured by the clients; the server-side time of each request comes from the
gunicorn access log. Requests only go to 127.0.0.1; the server is always stopped at the end.

Run: ``.venv/bin/python benchmarks/programme_dossiers.py [--dossiers 10000] [--clients 20] [--requests 50]
[--think 1.0] [--think-requests 15] [--no-report]``
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_P95_MS = 300.0
PASSWORD = "banc-d-essai-instructeur-2018"
USERNAME = "instructeur-banc"
ACCESS_MARK = "ACCES"
SEARCHES = ("ciblage", "automatique", "d%C3%A9tection", "AMI-IA-2018-042", "pr%C3%A9vision")
SCENARIO_TITLES = {"saturation": "Saturation (clients sans pause)",
                   "rythme": "Rythme d'instructeurs (pause entre deux pages)"}
STATES = (("en_instruction", 0.55), ("en_construction", 0.15), ("refuse", 0.2), ("sans_suite", 0.05),
          ("accepte", 0.05))


def configure_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # a fresh SQLite file in the temporary data dir
    env.pop("CACHE_URL", None)
    env.update(AMORCE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="amorce.web.settings", AMORCE_HTTPS="0",
               SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.clear()
    os.environ.update(env)
    return env


def build_database(count: int) -> dict:
    """Migrate, load the demo call, bulk-create ``count`` dossiers and the instructeur; filter values."""
    import django

    django.setup()
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from amorce.programme.assessment import assess
    from amorce.programme.demo import generate_demo
    from amorce.programme.eligibility import check_eligibility
    from amorce.programme.models import Application
    from amorce.programme.tasks import persist_call
    from amorce.web.roles import Role, set_roles

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"Migrations : {time.perf_counter() - start:.1f} s")
    programme = generate_demo(count=count, seed=7)
    rng = random.Random(7)
    states, weights = zip(*STATES, strict=True)
    with transaction.atomic():
        call = persist_call(programme.call)
        rules = call.eligibility_rules()
        rows = []
        for demo in programme.applications:
            state = rng.choices(states, weights)[0]
            report = check_eligibility({**demo.to_dict(), "submitted_on": demo.submitted_on, "start": demo.start,
                                        "end": demo.end}, rules)
            confirmed = None if rng.random() < 0.6 else report.eligible
            reviewed = state != "en_construction"
            rows.append(Application(
                call=call, reference=demo.ref, structure=demo.structure, structure_kind=demo.structure_kind,
                ministry=demo.ministry, siret=demo.siret, contact_name=demo.contact_name,
                contact_email=demo.contact_email, title=demo.title, use_case_family=demo.use_case_family,
                problem=demo.problem, benefits=demo.benefits, data=demo.data, team=demo.team,
                aia_answers=demo.aia_answers, budget=Decimal(str(demo.budget)),
                budget_breakdown=demo.budget_breakdown, start=demo.start, end=demo.end,
                submitted_on=None if state == "en_construction" else demo.submitted_on,
                draft_step=0, state=state, eligibility=report.to_dict(),
                impact_level=assess(demo.aia_answers).level,
                eligibility_auto=report.eligible, eligibility_confirmed=confirmed,
                score=round(demo.score(), 2) if reviewed else None, review_count=3 if reviewed else 0,
                disagreements=["pertinence_technique"] if reviewed and rng.random() < 0.1 else []))
        Application.objects.bulk_create(rows, batch_size=1000)
        user = get_user_model().objects.create_user(USERNAME, password=PASSWORD, first_name="Instructrice",
                                                    last_name="Banc")
        set_roles(user, [Role.INSTRUCTEUR])
    ministries = sorted({d.ministry for d in programme.applications})
    families = sorted({d.use_case_family for d in programme.applications})
    return {"call": call.slug, "ministries": ministries, "families": families,
            "count": Application.objects.count()}


def query_profile(urls: dict[str, str], repeat: int = 15) -> dict[str, tuple[int, float]]:
    """SQL queries and median in-process time of each URL (Django test client, no server, no load)."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=USERNAME))
    out = {}
    for label, url in urls.items():
        client.get(url)  # warm caches (templates, URL resolver)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)  # read now: each request start clears the query log
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        out[label] = (queries, statistics.median(times) * 1000)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    amorce = Path(sys.executable).with_name("amorce")
    command = [str(amorce), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
               "--no-collectstatic"]
    # the access log carries the server-side time of each request (µs), to tell service from queueing
    env = dict(env, GUNICORN_CMD_ARGS=f"--access-logformat '{ACCESS_MARK} %(U)s?%(q)s %(s)s %(D)s'")
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def server_times(log_path: Path, offset: int) -> tuple[list[tuple[str, float]], int]:
    """(URL, server-side duration in ms) of the access-log lines written after ``offset``; new offset."""
    with open(log_path, "rb") as handle:
        handle.seek(offset)
        data = handle.read()
    complete = data[:data.rfind(b"\n") + 1]
    times = [(line.split()[1], int(line.split()[3]) / 1000) for line in complete.decode("utf-8", "replace").splitlines()
             if line.startswith(ACCESS_MARK) and len(line.split()) == 4]
    return times, offset + len(complete)


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # gunicorn master and its workers (own session)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_ready(base: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté (code {process.returncode})")
        try:
            if requests.get(f"{base}/sante/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError("le serveur n'a pas répondu à temps")


def sign_in(base: str):
    import requests

    session = requests.Session()
    page = session.get(f"{base}/comptes/connexion/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{base}/comptes/connexion/", timeout=60, allow_redirects=False,
                            data={"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD},
                            headers={"Referer": f"{base}/comptes/connexion/"})
    if response.status_code != 302:
        raise RuntimeError(f"connexion refusée (HTTP {response.status_code})")
    check = session.get(f"{base}/programme/dossiers/", timeout=60)
    if check.status_code != 200 or "10" not in check.text:
        raise RuntimeError(f"liste des dossiers inaccessible après connexion (HTTP {check.status_code})")
    return session


def dossier_urls(meta: dict, rng: random.Random, pages: int) -> list[str]:
    ministry, family = rng.choice(meta["ministries"]), rng.choice(meta["families"])
    return [
        "/programme/dossiers/",
        f"/programme/dossiers/?page={rng.randint(2, pages)}",
        "/programme/dossiers/?etat=en_instruction",
        f"/programme/dossiers/?etat=refuse&page={rng.randint(2, 20)}",
        f"/programme/dossiers/?appel={meta['call']}&ministere={ministry}",
        f"/programme/dossiers/?famille={family}&eligible=oui",
        "/programme/dossiers/?eligible=a_confirmer&page=3",
        f"/programme/dossiers/?q={rng.choice(SEARCHES)}",
        f"/programme/dossiers/?page={pages}",
    ]


def api_urls(meta: dict, rng: random.Random, count: int) -> list[str]:
    ministry, family = rng.choice(meta["ministries"]), rng.choice(meta["families"])
    return [
        "/api/programme/dossiers",
        f"/api/programme/dossiers?offset={rng.randrange(0, count - 50)}&limit=50",
        "/api/programme/dossiers?state=en_instruction",
        f"/api/programme/dossiers?call={meta['call']}&ministry={ministry}",
        f"/api/programme/dossiers?family={family}&offset=50",
    ]


def load(base: str, sessions: list, url_lists: list[list[str]], requests_per_client: int,
         think: float = 0.0) -> dict:
    """All clients at once (barrier start); latency of each request as seen by its client.

    ``think``: mean pause (s) between two requests of a client (uniform 0.5–1.5 × think), as an
    instructeur reading the page; 0 keeps every client busy all the time (saturation).
    """
    import requests

    latencies: list[float] = []
    fetched: list[str] = []
    retries = [0]
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions))

    def client(index: int) -> None:
        session, urls = sessions[index], url_lists[index]
        pause = random.Random(index)
        mine, bad, mine_urls, retried = [], [], [], 0
        barrier.wait()
        for i in range(requests_per_client):
            url = urls[i % len(urls)]
            start = time.perf_counter()
            try:
                try:
                    response = session.get(base + url, timeout=60)
                except requests.ConnectionError:
                    # the server closed the idle keep-alive connection as it was reused (gunicorn
                    # keepalive: 2 s): retried once, as browsers do for a GET; counted, timed in full
                    retried += 1
                    response = session.get(base + url, timeout=60)
                elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    bad.append(f"HTTP {response.status_code} {url}")
            except Exception as exc:  # noqa: BLE001 - counted as an error
                elapsed = time.perf_counter() - start
                bad.append(f"{type(exc).__name__} {url}")
            mine.append(elapsed * 1000)
            mine_urls.append(url)
            if think:
                time.sleep(think * (0.5 + pause.random()))
        with lock:
            latencies.extend(mine)
            fetched.extend(mine_urls)
            retries[0] += retried
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(sessions))]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    return {"latencies": latencies, "urls": fetched, "errors": errors, "retries": retries[0], "wall": wall}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="requêtes par client et par cible")
    parser.add_argument("--rounds", type=int, default=2, help="passes alternées sur les cibles")
    parser.add_argument("--think", type=float, default=1.0, help="pause moyenne (s) du scénario au rythme réel")
    parser.add_argument("--think-requests", type=int, default=15, help="requêtes par client et par cible, "
                        "scénario au rythme réel")
    parser.add_argument("--no-report", action="store_true", help="ne pas écrire docs/benchmarks.md")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="amorce-bench-dossiers-"))
    try:
        return run(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    env = configure_env(data_dir)
    t0 = time.perf_counter()
    meta = build_database(args.dossiers)
    build_s = time.perf_counter() - t0
    print(f"Base prête : {meta['count']} dossiers en {build_s:.1f} s ({data_dir})")
    pages = -(-meta["count"] // 50)
    rng = random.Random(1)
    profile = query_profile({
        "accueil connecté (référence)": "/",
        "liste, 1re page": "/programme/dossiers/",
        "liste, page 150": "/programme/dossiers/?page=150",
        "liste filtrée (état + ministère)": f"/programme/dossiers/?etat=en_instruction&ministere="
                                            f"{meta['ministries'][0]}",
        "liste, recherche": "/programme/dossiers/?q=ciblage",
        "API, 1re page": "/api/programme/dossiers",
    })
    for label, (queries, ms) in profile.items():
        print(f"  {label} : {queries} requêtes SQL, {ms:.0f} ms (médiane en processus, sans charge)")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = data_dir / "server.log"
    server = start_server(env, port, log_path)
    scenarios = {"saturation": (0.0, args.requests, args.rounds),
                 "rythme": (args.think, args.think_requests, 1)}
    results: dict[tuple[str, str], dict] = {}
    load_before = os.getloadavg()[0]
    try:
        wait_ready(base, server)
        sessions = [sign_in(base) for _ in range(args.clients)]
        targets = {
            "/sante/ (référence sans base)": [["/sante/"] for _ in range(args.clients)],
            "/ accueil connecté (référence)": [["/"] for _ in range(args.clients)],
            "/programme/dossiers/": [dossier_urls(meta, random.Random(i), pages) for i in range(args.clients)],
            "/api/programme/dossiers": [api_urls(meta, random.Random(100 + i), meta["count"])
                                        for i in range(args.clients)],
        }
        for lists in targets.values():
            for urls in lists:
                rng.shuffle(urls)
        # warm-up: every worker imports and renders each page once
        load(base, sessions, [[u[0] for u in lists] for lists in zip(*targets.values(), strict=True)], 2)
        offset = log_path.stat().st_size
        for scenario, (think, count, rounds) in scenarios.items():
            per_round = max(1, count // rounds)
            for round_number in range(rounds):
                for label, lists in targets.items():
                    run = load(base, sessions, lists, per_round, think)
                    time.sleep(0.3)  # let the access log reach the file
                    served, offset = server_times(log_path, offset)
                    agg = results.setdefault((scenario, label), {"latencies": [], "urls": [], "errors": [],
                                                                 "wall": 0.0, "server": [], "retries": 0})
                    agg["retries"] += run["retries"]
                    agg["latencies"] += run["latencies"]
                    agg["urls"] += run["urls"]
                    agg["errors"] += run["errors"]
                    agg["wall"] += run["wall"]
                    agg["server"] += served
                    print(f"  {scenario}, passe {round_number + 1}, {label} : "
                          f"p95 {percentile(run['latencies'], 95):.0f} ms")
    finally:
        stop_server(server)
    load_after = os.getloadavg()[0]
    server_errors = [line for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines()
                     if not line.startswith(ACCESS_MARK) and any(k in line for k in ("[ERROR]", "[CRITICAL]",
                                                                                      "Traceback", "TIMEOUT"))]
    print(f"Journal du serveur : {len(server_errors)} ligne(s) d'erreur", *server_errors[:10], sep="\n  ")

    from _report import markdown_table, write_section

    tables, kinds, verdicts, ok = {}, {}, [], True
    for scenario in scenarios:
        home_p95 = percentile(results[(scenario, "/ accueil connecté (référence)")]["latencies"], 95)
        rows = []
        for (name, label), r in results.items():
            if name != scenario:
                continue
            lat = r["latencies"]
            p50, p95, p99 = (percentile(lat, q) for q in (50, 95, 99))
            srv = [ms for _, ms in r["server"]] or [float("nan")]
            rows.append([label, len(lat), len(r["errors"]), r["retries"], f"{p50:.0f}", f"{p95:.0f}", f"{p99:.0f}",
                         f"{len(lat) / r['wall']:.0f}", f"{percentile(srv, 50):.0f}", f"{percentile(srv, 95):.0f}",
                         f"{p95 / home_p95:.2f}"])
            print(f"[{scenario}] {label:32s} n={len(lat):5d} erreurs={len(r['errors']):3d} "
                  f"reprises={r['retries']:2d} p50={p50:5.0f} "
                  f"p95={p95:5.0f} p99={p99:5.0f} ms  {len(lat) / r['wall']:4.0f} req/s  serveur p50/p95 "
                  f"{percentile(srv, 50):.0f}/{percentile(srv, 95):.0f} ms")
            if r["errors"]:
                print("   ex. :", r["errors"][:3])
        tables[scenario] = rows
        list_r = results[(scenario, "/programme/dossiers/")]
        client_by, server_by = {}, {}
        for url, ms in zip(list_r["urls"], list_r["latencies"], strict=True):
            client_by.setdefault(url_kind(url), []).append(ms)
        for url, ms in list_r["server"]:
            server_by.setdefault(url_kind(url), []).append(ms)
        kinds[scenario] = [[kind, len(values), f"{percentile(values, 50):.0f}", f"{percentile(values, 95):.0f}",
                            f"{percentile(server_by.get(kind, [0.0]), 50):.0f}",
                            f"{percentile(server_by.get(kind, [0.0]), 95):.0f}"]
                           for kind, values in sorted(client_by.items())]
        for row in kinds[scenario]:
            print(f"   {row[0]:28s} n={row[1]:4d} client p50/p95 {row[2]}/{row[3]} ms, serveur {row[4]}/{row[5]} ms")
        list_r = results[(scenario, "/programme/dossiers/")]
        list_p95 = percentile(list_r["latencies"], 95)
        api_p95 = percentile(results[(scenario, "/api/programme/dossiers")]["latencies"], 95)
        met = list_p95 < TARGET_P95_MS and not list_r["errors"]
        ok &= met
        verdicts.append(f"**{SCENARIO_TITLES[scenario]} — objectif p95 < {TARGET_P95_MS:.0f} ms pour la liste des "
                        f"dossiers : {'atteint' if met else 'NON atteint'}** (liste HTML p95 {list_p95:.0f} ms, "
                        f"API p95 {api_p95:.0f} ms).")
        print(verdicts[-1])
    if args.no_report:
        return 0 if ok else 1
    headers = ["Cible", "Requêtes", "Erreurs", "Reprises", "p50", "p95", "p99", "req/s", "serveur p50", "serveur p95",
               "p95 / accueil"]
    kind_headers = ["Page", "Requêtes", "client p50", "client p95", "serveur p50", "serveur p95"]
    profile_rows = [[label, q, f"{ms:.0f}"] for label, (q, ms) in profile.items()]
    sat_count, think_count = scenarios["saturation"][1], scenarios["rythme"][1]
    body = f"""
`benchmarks/programme_dossiers.py` : base SQLite neuve ({meta['count']} dossiers de l'appel 2018 générés,
états, scores et éligibilité réalistes, base construite en {build_s:.0f} s), serveur réel
(`amorce serve`, gunicorn, 2 processus × 4 fils) sur 127.0.0.1, {args.clients} clients simultanés
(fils, une session connectée chacun via le formulaire de connexion). Pages demandées : première page,
pages suivantes (jusqu'à la dernière), filtres état / ministère / famille / éligibilité, recherche
dans le numéro, le titre et la structure ; API : pages de 50 avec et sans filtres. Latences en ms,
mesurées côté client ; « serveur » : durée vue par gunicorn (journal d'accès), sans l'attente dans
la file de connexions. Références mesurées dans la même exécution et sous la même charge : `/sante/`
(ni base ni gabarit) et l'accueil connecté `/` (session, utilisateur, gabarit de base) ; la dernière
colonne rapporte le p95 à celui de l'accueil.

**{SCENARIO_TITLES['saturation']}** ({sat_count} requêtes par client et par cible, en {args.rounds} passes
alternées entre les cibles, aucune pause : les {args.clients} clients gardent chacun une requête en cours) :

{markdown_table(headers, tables["saturation"])}

**{SCENARIO_TITLES['rythme']}** ({think_count} requêtes par client et par cible, pause de
{args.think * 0.5:.1f} à {args.think * 1.5:.1f} s entre deux pages, comme un instructeur qui lit la liste) :

{markdown_table(headers, tables["rythme"])}

{chr(10).join(f"- {v}" for v in verdicts)}

Liste des dossiers par type de page (p50 / p95 côté client et côté serveur, ms) — saturation :

{markdown_table(kind_headers, kinds["saturation"])}

Au rythme d'instructeurs :

{markdown_table(kind_headers, kinds["rythme"])}

Coût d'une requête isolée, en processus (client de test Django, sans serveur ni concurrence ; médiane
de 15) :

{markdown_table(["Page", "Requêtes SQL", "Temps médian (ms)"], profile_rows)}

Clients et serveur partagent la machine de mesure, elle-même partagée avec d'autres travaux (charge
moyenne {load_before:.1f} au début, {load_after:.1f} à la fin, pour {machine_cpus()} cœurs) : les
valeurs absolues sont pessimistes ; le rapport à l'accueil est plus stable.
"""
    write_section("programme_dossiers", "Programme : liste des dossiers de l'instructeur "
                  f"({args.dossiers:,} dossiers, {args.clients} clients)".replace(",", "\u202f"), body)
    return 0 if ok else 1


def url_kind(url: str) -> str:
    """Kind of dossier-list request, for the breakdown: search, filtered, later page or first page."""
    query = url.partition("?")[2].rstrip("?")
    params = {part.partition("=")[0] for part in query.split("&") if part}
    if "q" in params:
        return "recherche"
    if params - {"page"}:
        return "filtrée" + (" (page suivante)" if "page" in params else "")
    return "page suivante" if "page" in params else "1re page"


def machine_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
