"""Public assistant API under 50 concurrent clients, on the real server (gunicorn) on loopback.

Claim (issue 6): 50 concurrent clients on the API on loopback with no errors, p95 reported.

What it does: a fresh SQLite database in a temporary AMORCE_DATA_DIR (migrations); a knowledge base
indexed from ../shared/data/service_public_qa (the 1,705 fiches with ``--fiches 0``; otherwise the
fiches targeted by the questions plus others up to ``--fiches``), or copied from an indexed data
dir (``--kb-from``); then ``amorce serve`` (gunicorn) as a subprocess on a free loopback port. Each
worker loads the knowledge base and the sentence model once, in the background, as it starts
(``AppConfig.warm_up``): the script waits for it, counts the loads in the server log (one per
worker, none during the measure) and reads each worker's memory (RSS) before and after.

50 client threads post real questions to ``POST /api/assistant/ask``: the 105 annotated PIAF
questions, our colloquial questions and out-of-scope questions, shuffled. Each client has its own
loopback address (127.0.0.x), so the per-IP rate limit applies per client as for real citizens.
Baseline in the same run, under the same load: the health endpoint ``/sante/`` (no database, no
template); the last column is the ratio of p95s. Latency is measured by the clients; the server-side
time of each request comes from gunicorn's access log. Errors: any answer other than 2xx (429
included) and any connection failure.

Phases:

1. **Capacity** — the server runs with ``AMORCE_ASSISTANT_RATE_LIMIT=--rate-limit`` (default
   ``100000/m`` per IP: the limit is raised to measure the server, and said so in the report); two
   scenarios: saturation (no pause) and citizens' pace (pause between questions).
2. **Real limit** — the server is restarted with the default limit (``AMORCE_API_RATE_LIMIT``,
   60/m per IP) and 50 clients ask at citizens' pace: once from 50 addresses (429 expected: none),
   once all from the same address, as citizens behind one NAT or a proxy that hides their address
   would be (429s reported separately: that is what the limit does, not a server failure).

Requests only go to 127.0.0.x; the server is always stopped at the end.

Run: ``.venv/bin/python benchmarks/assistant_api.py [--fiches 0] [--kb-from DATA_DIR] [--clients 50]
[--requests 20] [--think 2.0] [--think-requests 8] [--workers 2] [--threads 4] [--rate-limit 100000/m]
[--no-report]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from programme_dossiers import (  # noqa: E402 - same server harness as the dossier-list benchmark
    ACCESS_MARK,
    free_port,
    machine_cpus,
    percentile,
    server_times,
    stop_server,
    wait_ready,
)

KB_NAME = "service-public"
REAL_LIMIT = "60/m"
SCENARIO_TITLES = {"saturation": "Saturation (clients sans pause)",
                   "rythme": "Rythme d'usagers (pause entre deux questions)"}


def configure_env(data_dir: Path, rate_limit: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "CACHE_URL", "AMORCE_API_RATE_LIMIT", "AMORCE_ASSISTANT_RATE_LIMIT", "LLM_BASE_URL",
                 "LLM_MODEL", "AMORCE_ASSISTANT_KB", "AMORCE_ASSISTANT_WARM_UP"):
        env.pop(name, None)  # a fresh SQLite file, extractive answers, the default limits
    env.update(AMORCE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="amorce.web.settings", AMORCE_HTTPS="0",
               SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    if rate_limit:
        env["AMORCE_ASSISTANT_RATE_LIMIT"] = rate_limit
    os.environ.clear()
    os.environ.update(env)
    return env


def build(data_dir: Path, fiches: int, kb_from: Path | None) -> dict:
    """Migrate, index (or copy) the knowledge base; the questions to ask."""
    import django

    django.setup()
    from django.core.management import call_command

    from amorce.assistant import index_source
    from amorce.assistant.evaluate import load_colloquial, load_out_of_scope, load_squad, shared_data
    from amorce.assistant.kb import kb_path

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"Migrations : {time.perf_counter() - start:.1f} s")
    questions = Path(__file__).resolve().parents[1] / "tests" / "assistant" / "data"  # the repository's questions
    squad, colloquial, out = load_squad(), load_colloquial(questions), load_out_of_scope(questions)
    target = kb_path(KB_NAME, data_dir)
    start = time.perf_counter()
    if kb_from is not None:
        source = kb_path(KB_NAME, kb_from)
        if not (source / "CURRENT").exists():
            raise SystemExit(f"Aucune base « {KB_NAME} » indexée dans {kb_from} (attendu : {source}/CURRENT).")
        shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("*.lock"))
        how = f"copiée de {kb_from}"
    else:
        wanted = {q.fiche_id for q in squad + colloquial if q.fiche_id}
        source_file = shared_data() / "service_public_qa" / "spf_fiches_question_reponse.jsonl"
        rows, others = [], 0
        with source_file.open(encoding="utf-8") as handle:
            for line in handle:
                if not fiches or json.loads(line)["id"] in wanted:
                    rows.append(line)
                elif others < max(0, fiches - len(wanted)):
                    rows.append(line)
                    others += 1
        subset = data_dir / "fiches.jsonl"
        subset.write_text("".join(rows), encoding="utf-8")
        index_source(subset, KB_NAME, root=data_dir)
        how = "indexée pour la mesure"
    index_s = time.perf_counter() - start
    from amorce.assistant import KnowledgeBase

    kb = KnowledgeBase.open(KB_NAME, root=data_dir)
    questions = [q.question for q in squad + colloquial + out]
    print(f"Base : {len(kb.docs)} documents, {kb.n_chunks} passages ({how}, {index_s:.0f} s) ; "
          f"{len(questions)} questions")
    return {"docs": len(kb.docs), "chunks": kb.n_chunks, "how": how, "index_s": index_s, "questions": questions,
            "n_squad": len(squad), "n_colloquial": len(colloquial), "n_out": len(out)}


def start_server(env: dict[str, str], port: int, log_path: Path, workers: int, threads: int) -> subprocess.Popen:
    amorce = Path(sys.executable).with_name("amorce")
    command = [str(amorce), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
               "--threads", str(threads), "--no-collectstatic"]
    # the access log carries the server-side time of each request (µs), to tell service from queueing
    env = dict(env, GUNICORN_CMD_ARGS=f"--access-logformat '{ACCESS_MARK} %(U)s?%(q)s %(s)s %(D)s' --backlog 2048")
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def log_count(log_path: Path, text: str) -> int:
    return log_path.read_text(encoding="utf-8", errors="replace").count(text)


def wait_warm(log_path: Path, workers: int, process: subprocess.Popen, timeout: float = 600.0) -> float:
    """Wait until every worker logged its warm-up; seconds waited."""
    start = time.monotonic()
    while log_count(log_path, "Assistant préchargé") < workers:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté (code {process.returncode})")
        if log_count(log_path, "Préchargement de l'assistant impossible"):
            raise RuntimeError("un processus du serveur n'a pas pu charger la base (voir le journal ci-dessous)")
        if time.monotonic() - start > timeout:
            raise RuntimeError("les processus du serveur n'ont pas chargé la base à temps")
        time.sleep(0.5)
    return time.monotonic() - start


def worker_rss(master_pid: int) -> list[float]:
    """Resident memory (Mio) of each gunicorn worker (children of the master)."""
    pids: list[int] = []
    for task in Path(f"/proc/{master_pid}/task").glob("*"):
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    out = []
    for pid in sorted(pids):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return out


def make_session(source_ip: str | None):
    import requests
    from requests.adapters import HTTPAdapter

    class SourceAddressAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            if source_ip:
                kwargs["source_address"] = (source_ip, 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    session.mount("http://", SourceAddressAdapter())
    return session


def client_ip(index: int, shared: bool) -> str:
    return "127.0.0.1" if shared else f"127.0.{1 + index // 250}.{2 + index % 250}"


def load(base: str, sessions: list, target: str, questions: list[list[str]], requests_per_client: int,
         think: float = 0.0) -> dict:
    """All clients at once (barrier start); latency of each request as seen by its client.

    ``target``: "/sante/" (GET) or the ask route (POST of the client's questions, in turn).
    """
    import requests

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    retries = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions))

    def send(session, question: str):
        if target == "/sante/":
            return session.get(base + target, timeout=120)
        return session.post(base + target, json={"question": question}, timeout=120)

    def client(index: int) -> None:
        session, mine_q = sessions[index], questions[index]
        pause = random.Random(index)
        mine, bad, codes, retried = [], [], {}, 0
        barrier.wait()
        for i in range(requests_per_client):
            question = mine_q[i % len(mine_q)]
            start = time.perf_counter()
            try:
                try:
                    response = send(session, question)
                except requests.ConnectionError:
                    # the server closed an idle keep-alive connection as it was reused (gunicorn
                    # keepalive: 2 s); the request never reached it: retried once, counted, timed in full
                    retried += 1
                    response = send(session, question)
                elapsed = time.perf_counter() - start
                codes[response.status_code] = codes.get(response.status_code, 0) + 1
                if not 200 <= response.status_code < 300:
                    bad.append(f"HTTP {response.status_code}")
            except Exception as exc:  # noqa: BLE001 - counted as an error
                elapsed = time.perf_counter() - start
                bad.append(type(exc).__name__)
            mine.append(elapsed * 1000)
            if think:
                time.sleep(think * (0.5 + pause.random()))
        with lock:
            latencies.extend(mine)
            errors.extend(bad)
            retries[0] += retried
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(sessions))]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "errors": errors, "statuses": statuses, "retries": retries[0],
            "wall": time.perf_counter() - start}


def merge(into: dict, run: dict, served: list[tuple[str, float]]) -> None:
    into.setdefault("latencies", []).extend(run["latencies"])
    into.setdefault("errors", []).extend(run["errors"])
    into.setdefault("server", []).extend(ms for _, ms in served)
    into["wall"] = into.get("wall", 0.0) + run["wall"]
    into["retries"] = into.get("retries", 0) + run["retries"]
    statuses = into.setdefault("statuses", {})
    for code, n in run["statuses"].items():
        statuses[code] = statuses.get(code, 0) + n


def row(label: str, r: dict, ref_p95: float) -> list:
    lat = r["latencies"]
    p50, p95, p99 = (percentile(lat, q) for q in (50, 95, 99))
    srv = r["server"] or [float("nan")]
    n429 = r["statuses"].get(429, 0)
    return [label, len(lat), len(r["errors"]), n429, r["retries"], f"{p50:.0f}", f"{p95:.0f}", f"{p99:.0f}",
            f"{len(lat) / r['wall']:.1f}", f"{percentile(srv, 50):.0f}", f"{percentile(srv, 95):.0f}",
            f"{p95 / ref_p95:.1f}" if ref_p95 else "—"]


def print_row(scenario: str, values: list) -> None:
    print(f"[{scenario}] {values[0]:34s} n={values[1]:5d} erreurs={values[2]:4d} (429 : {values[3]}) "
          f"reprises={values[4]:3d} p50/p95/p99 {values[5]}/{values[6]}/{values[7]} ms  {values[8]} req/s  "
          f"serveur p50/p95 {values[9]}/{values[10]} ms  p95/santé {values[11]}")


def server_error_lines(log_path: Path) -> list[str]:
    return [line for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines()
            if not line.startswith(ACCESS_MARK) and any(k in line for k in ("[ERROR]", "[CRITICAL]", "Traceback",
                                                                             "TIMEOUT"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=0, help="fiches indexées (0 = les 1 705)")
    parser.add_argument("--kb-from", type=Path, help="dossier de données contenant une base déjà indexée "
                        "(assistant/service-public/), copiée au lieu d'indexer")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requêtes par client et par cible (saturation)")
    parser.add_argument("--think", type=float, default=2.0, help="pause moyenne (s) entre deux questions d'un usager")
    parser.add_argument("--think-requests", type=int, default=8, help="requêtes par client et par cible, au rythme "
                        "des usagers")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rate-limit", default="100000/m", help="limite par adresse IP pendant la mesure de capacité")
    parser.add_argument("--no-real-limit", action="store_true", help="sauter la phase avec la limite réelle")
    parser.add_argument("--no-report", action="store_true", help="ne pas écrire docs/benchmarks.md")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="amorce-bench-assistant-"))
    try:
        return run(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def serve_and_measure(env, data_dir: Path, args, name: str) -> tuple[subprocess.Popen, str, Path, dict]:
    port = free_port()
    log_path = data_dir / f"server-{name}.log"
    server = start_server(env, port, log_path, args.workers, args.threads)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, server)
        warm_s = wait_warm(log_path, args.workers, server)
    except BaseException:
        stop_server(server)
        print(log_path.read_text(encoding="utf-8", errors="replace")[-3000:])
        raise
    info = {"warm_s": warm_s, "rss_warm": worker_rss(server.pid)}
    return server, base, log_path, info


def run(args: argparse.Namespace, data_dir: Path) -> int:
    env = configure_env(data_dir, args.rate_limit)
    meta = build(data_dir, args.fiches, args.kb_from.resolve() if args.kb_from else None)
    rng = random.Random(6)
    pool = meta["questions"]
    questions = [rng.sample(pool, len(pool)) for _ in range(args.clients)]
    load_before = os.getloadavg()[0]
    ask = "/api/assistant/ask"
    targets = {"/sante/ (référence)": "/sante/", f"POST {ask}": ask}
    scenarios = {"saturation": (0.0, args.requests), "rythme": (args.think, args.think_requests)}
    results: dict[tuple[str, str], dict] = {}

    # ---------------------------------------------------------------- phase 1: capacity
    server, base, log_path, info = serve_and_measure(env, data_dir, args, "capacite")
    try:
        print(f"Serveur prêt ; base chargée par les {args.workers} processus en {info['warm_s']:.1f} s ; mémoire "
              f"(Mio) : {', '.join(f'{m:.0f}' for m in info['rss_warm'])}")
        sessions = [make_session(client_ip(i, shared=False)) for i in range(args.clients)]
        load(base, sessions, ask, questions, 1)  # every connection opened, every worker thread used once
        offset = log_path.stat().st_size
        loads_before = log_count(log_path, "Base de l'assistant")
        for scenario, (think, count) in scenarios.items():
            for label, target in targets.items():
                run_ = load(base, sessions, target, questions, count, think)
                time.sleep(0.3)  # let the access log reach the file
                served, offset = server_times(log_path, offset)
                merge(results.setdefault((scenario, label), {}), run_, served)
                print(f"  {scenario}, {label} : p95 {percentile(run_['latencies'], 95):.0f} ms, "
                      f"{len(run_['errors'])} erreur(s)")
        info["rss_after"] = worker_rss(server.pid)
        info["loads_during"] = log_count(log_path, "Base de l'assistant") - loads_before
        info["loads_total"] = log_count(log_path, "Base de l'assistant")
    finally:
        stop_server(server)
    errors_log = server_error_lines(log_path)

    # ---------------------------------------------------------------- phase 2: the real per-IP limit
    real: dict[str, dict] = {}
    if not args.no_real_limit:
        env = configure_env(data_dir, None)
        server, base, log_path2, _ = serve_and_measure(env, data_dir, args, "limite")
        try:
            for label, shared in (("50 adresses IP (une par usager)", False), ("une seule adresse IP", True)):
                sessions = [make_session(client_ip(i, shared=shared)) for i in range(args.clients)]
                offset = log_path2.stat().st_size
                run_ = load(base, sessions, ask, questions, args.think_requests, args.think)
                time.sleep(0.3)
                served, offset = server_times(log_path2, offset)
                merge(real.setdefault(label, {}), run_, served)
                print(f"  limite réelle, {label} : {run_['statuses']}")
        finally:
            stop_server(server)
        errors_log += server_error_lines(log_path2)
    load_after = os.getloadavg()[0]
    print(f"Journal du serveur : {len(errors_log)} ligne(s) d'erreur", *errors_log[:10], sep="\n  ")

    from _report import markdown_table, write_section

    tables, verdicts, ok = {}, [], not errors_log
    for scenario in scenarios:
        ref = results[(scenario, "/sante/ (référence)")]
        ref_p95 = percentile(ref["latencies"], 95)
        rows = [row(label, results[(scenario, label)], ref_p95) for label in targets]
        for values in rows:
            print_row(scenario, values)
        tables[scenario] = rows
        api = results[(scenario, f"POST {ask}")]
        met = not api["errors"]
        ok &= met
        verdicts.append(f"**{SCENARIO_TITLES[scenario]} — objectif « {args.clients} clients sans erreur » : "
                        f"{'atteint' if met else 'NON atteint'}** ({len(api['latencies'])} questions, "
                        f"{len(api['errors'])} erreur(s), p95 {percentile(api['latencies'], 95):.0f} ms, "
                        f"{len(api['latencies']) / api['wall']:.1f} questions/s).")
        print(verdicts[-1])
    real_rows = []
    for label, r in real.items():
        lat = r["latencies"]
        n429 = r["statuses"].get(429, 0)
        other = len(r["errors"]) - n429
        real_rows.append([label, len(lat), r["statuses"].get(200, 0), n429, other, f"{percentile(lat, 50):.0f}",
                          f"{percentile(lat, 95):.0f}"])
        print(f"[limite réelle] {label}: {real_rows[-1]}")
        if "50" in label:
            ok &= not r["errors"]
    if args.no_report:
        return 0 if ok else 1

    headers = ["Cible", "Requêtes", "Erreurs", "dont 429", "Reprises", "p50", "p95", "p99", "req/s", "serveur p50",
               "serveur p95", "p95 / santé"]
    rss_warm = info["rss_warm"]
    rss_after = info.get("rss_after", [])
    real_block = ""
    if real_rows:
        real_block = f"""
**Avec la limite réelle** ({REAL_LIMIT} par adresse IP, `AMORCE_API_RATE_LIMIT` par défaut ; serveur relancé) :
{args.clients} usagers au rythme ci-dessus ({args.think_requests} questions chacun), d'abord chacun avec sa propre
adresse, puis tous derrière la même adresse (un espace France services, un réseau d'entreprise ou mobile
derrière une traduction d'adresses, ou un mandataire inverse dont l'adresse remplace celle des usagers) :

{markdown_table(["Clients", "Questions", "Réponses 200", "Refus 429", "Autres erreurs", "p50", "p95"], real_rows)}

Les 429 de la seconde ligne ne sont pas des pannes : c'est la limite par adresse qui s'applique à tous les
usagers d'une même adresse réunis. Un déploiement doit donc régler `AMORCE_ASSISTANT_RATE_LIMIT` pour le
nombre d'usagers qui peuvent partager une adresse, et transmettre la vraie adresse de l'usager si un
mandataire inverse est placé devant le serveur (voir docs/assistant.md). Le compteur est une fenêtre glissante
(la minute précédente pèse pour la part qui reste dans les 60 dernières secondes : pas de double rafale à
cheval sur deux minutes, les refus comptent aussi) ; il est incrémenté de façon atomique entre processus (cache fichier verrouillé, ou Redis avec `CACHE_URL`).
"""
    body = f"""
`benchmarks/assistant_api.py` : base SQLite neuve, base de connaissances de {meta['docs']} fiches
service-public.fr ({meta['chunks']} passages, {meta['how']}), serveur réel (`amorce serve`, gunicorn,
{args.workers} processus × {args.threads} fils) sur la boucle locale, {args.clients} clients simultanés (fils,
chacun avec sa propre adresse 127.0.x.y). Questions envoyées à `POST /api/assistant/ask` : les
{meta['n_squad']} questions annotées PIAF, nos {meta['n_colloquial']} questions familières et
{meta['n_out']} questions hors périmètre, mélangées (réponses extractives, sans modèle de langage). Erreur :
toute réponse autre que 2xx (429 compris) ou toute connexion échouée ; « reprises » : connexions
persistantes fermées par le serveur et rouvertes une fois. Latences en ms côté client ; « serveur » : durée
vue par gunicorn (journal d'accès), sans l'attente dans la file de connexions. Référence mesurée dans la
même exécution et sous la même charge : `/sante/` (ni base ni gabarit) ; la dernière colonne rapporte le
p95 de l'API à celui de `/sante/`.

**Limite de débit pendant la mesure de capacité : `AMORCE_ASSISTANT_RATE_LIMIT={args.rate_limit}` par
adresse IP**, relevée pour mesurer le serveur et non la limite (valeur réelle par défaut : {REAL_LIMIT}).

**{SCENARIO_TITLES['saturation']}** ({args.requests} requêtes par client et par cible : chaque client garde
une requête en cours) :

{markdown_table(headers, tables["saturation"])}

**{SCENARIO_TITLES['rythme']}** ({args.think_requests} requêtes par client et par cible, pause de
{args.think * 0.5:.1f} à {args.think * 1.5:.1f} s entre deux questions) :

{markdown_table(headers, tables["rythme"])}

{chr(10).join(f"- {v}" for v in verdicts)}
{real_block}
**Chargement des modèles.** Chaque processus charge la base et le modèle de vecteurs une fois, en arrière-plan
dès son démarrage (`AssistantConfig.warm_up`) : prêts {info['warm_s']:.0f} s après la première réponse de
`/sante/` ; {info['loads_total']} chargement(s) pour {args.workers} processus, {info['loads_during']} pendant
la mesure. Mémoire résidente par processus : {', '.join(f'{m:.0f}' for m in rss_warm)} Mio après le
chargement, {', '.join(f'{m:.0f}' for m in rss_after)} Mio après la mesure.

Clients et serveur partagent la machine de mesure, elle-même partagée avec d'autres travaux (charge
moyenne {load_before:.1f} au début, {load_after:.1f} à la fin, pour {machine_cpus()} cœurs) : les
valeurs absolues sont pessimistes ; le rapport à `/sante/` est plus stable.
"""
    write_section("assistant_api", f"Assistant : API publique sous {args.clients} clients simultanés", body)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
