"""The JSON stored by ciblage with English keys (« taux » → « rate », « semaine » → « week »…):
datasets' summaries, models' metrics, cards and backtests, plans' rows and follow-up; and the two
values of a planned inspection's ``selection`` (« modele » → « model », « aleatoire » → « random »).
The pages show the same French labels. The whole table of names is in docs/ciblage.md
(« Contrat des données »). Reversible: backwards gives the French keys back."""

from django.db import migrations

SUMMARY = {"etablissements": "establishments", "plaintes": "complaints", "lignes_contexte": "context_rows",
           "debut": "start", "fin": "end", "taux_evenement": "event_rate", "departements": "departments"}
METRICS = {"inspections_entrainement": "training_inspections", "inspections_validation": "validation_inspections",
           "taux_evenement_validation": "validation_event_rate", "auc_validation": "validation_auc",
           "brier_avant_calibration": "brier_before_calibration", "brier_apres_calibration": "brier_after_calibration"}
BACKTEST = {"periode": "period", "evenements": "events", "taux_evenement": "event_rate", "classements": "rankings",
            "modele": "model_metrics"}
PERIOD = {"debut": "start", "fin": "end"}
RANKINGS = {"modele": "model"}
RANKING = {"courbe_lift": "lift_curve", "jours_gagnes": "days_earlier", "part_premiere_moitie": "first_half_share",
           "part_premiere_moitie_ordre_reel": "first_half_share_actual_order"}
RECALL = ("rappel@", "recall@")  # rappel@10% → recall@10%, rappel@100 → recall@100
LIFT_POINT = {"fraction_inspectee": "inspected_fraction", "part_trouvee": "found_share"}
CALIBRATION = {"predit": "predicted", "observe": "observed"}
PLAN_ROW = {"semaine": "week", "date_prevue": "planned_date", "equipe": "team", "nom": "name", "adresse": "address",
            "rang": "rank", "raisons": "reasons"}
SELECTION = {"modele": "model", "aleatoire": "random"}
FEEDBACK = {"modele": "model", "aleatoire": "random", "rapport_modele_sur_aleatoire": "model_to_random_ratio",
            "p_valeur_unilaterale": "one_sided_p_value"}
SHARE = {"evenements": "events", "taux": "rate"}


def _keys(data, names: dict):
    return {names.get(k, k): v for k, v in data.items()} if isinstance(data, dict) else data


def _each(items, names: dict):
    return [_keys(item, names) for item in items] if isinstance(items, list) else items


class Names:
    """The tables above, forwards (French → English) or backwards; each method converts one field."""

    def __init__(self, forward: bool) -> None:
        def way(table: dict) -> dict:
            return dict(table) if forward else {new: old for old, new in table.items()}

        self.t = {name: way(table) for name, table in (
            ("summary", SUMMARY), ("metrics", METRICS), ("backtest", BACKTEST), ("period", PERIOD),
            ("rankings", RANKINGS), ("ranking", RANKING), ("lift_point", LIFT_POINT), ("calibration", CALIBRATION),
            ("plan_row", PLAN_ROW), ("selection", SELECTION), ("feedback", FEEDBACK), ("share", SHARE))}
        self.recall = RECALL if forward else RECALL[::-1]

    def summary(self, data):
        return _keys(data, self.t["summary"])

    def metrics(self, data):
        return _keys(data, self.t["metrics"])

    def card(self, data):
        if isinstance(data, dict) and isinstance(data.get("metrics"), dict):
            return {**data, "metrics": self.metrics(data["metrics"])}
        return data

    def ranking(self, metrics):
        if not isinstance(metrics, dict):
            return metrics
        old, new = self.recall
        out = {(new + k[len(old):] if k.startswith(old) else self.t["ranking"].get(k, k)): v
               for k, v in metrics.items()}
        for key in ("lift_curve", "courbe_lift"):
            if key in out:
                out[key] = _each(out[key], self.t["lift_point"])
        return out

    def backtest(self, data):
        if not isinstance(data, dict):
            return data
        out = _keys(data, self.t["backtest"])
        for key in ("period", "periode"):
            if key in out:
                out[key] = _keys(out[key], self.t["period"])
        for key in ("rankings", "classements"):
            if isinstance(out.get(key), dict):
                out[key] = {self.t["rankings"].get(name, name): self.ranking(m) for name, m in out[key].items()}
        for key in ("model_metrics", "modele"):
            if key in out:
                out[key] = self.metrics(out[key])
        if "calibration" in out:
            out["calibration"] = _each(out["calibration"], self.t["calibration"])
        return out

    def plan_row(self, row):
        row = _keys(row, self.t["plan_row"])
        if isinstance(row, dict) and row.get("selection") in self.t["selection"]:
            row["selection"] = self.t["selection"][row["selection"]]
        return row

    def feedback(self, data):
        out = _keys(data, self.t["feedback"])
        if isinstance(out, dict):
            for share in ("model", "random", "modele", "aleatoire"):
                if share in out:
                    out[share] = _keys(out[share], self.t["share"])
        return out


def _convert(apps, forward: bool) -> None:
    names = Names(forward)
    dataset = apps.get_model("ciblage", "Dataset")
    for item in dataset.objects.all().iterator():
        item.summary = names.summary(item.summary)
        item.save(update_fields=["summary"])
    trained = apps.get_model("ciblage", "TrainedModel")
    for item in trained.objects.all().iterator():
        item.metrics = names.metrics(item.metrics)
        item.card = names.card(item.card)
        item.backtest = names.backtest(item.backtest)
        item.save(update_fields=["metrics", "card", "backtest"])
    plan = apps.get_model("ciblage", "Plan")
    for item in plan.objects.all().iterator():
        item.rows = [names.plan_row(row) for row in item.rows] if isinstance(item.rows, list) else item.rows
        item.feedback = names.feedback(item.feedback)
        item.save(update_fields=["rows", "feedback"])


def english(apps, schema_editor):
    _convert(apps, forward=True)


def french(apps, schema_editor):
    _convert(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("ciblage", "0003_created_at_created_by")]

    operations = [migrations.RunPython(english, french)]
