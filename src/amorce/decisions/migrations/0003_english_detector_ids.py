"""Detector ids in English (« regle:adresse » → « rule:address », « civilite:mme » → « title:mme »);
the pages show them by their French labels, unchanged."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

RULES = {
    "courriel": "email", "iban": "iban", "nir": "nir", "nir-sans-cle": "nir-without-key", "telephone": "phone",
    "siren-siret": "siren-siret", "plaque": "plate", "plaque-fni": "plate-fni", "site-web": "website",
    "ne-le": "born-on", "deces": "death-date", "mariage": "marriage-date", "ne-a": "born-in", "adresse": "address",
    "code-postal": "postcode-city", "cadastre": "cadastre", "lieu": "domicile-place",
    "siege-juridiction": "trade-registry-seat", "adresse-suite": "address-continuation",
    "cabinet-avocats": "law-firm", "cabinet": "firm",
}


def english(apps, schema_editor):
    entity = apps.get_model("decisions", "Entity")
    for old, new in RULES.items():
        entity.objects.filter(detector=f"regle:{old}").update(detector=f"rule:{new}")
    entity.objects.filter(detector__startswith="civilite:").update(
        detector=Concat(Value("title:"), Substr("detector", len("civilite:") + 1)))


def french(apps, schema_editor):
    entity = apps.get_model("decisions", "Entity")
    for old, new in RULES.items():
        entity.objects.filter(detector=f"rule:{new}").update(detector=f"regle:{old}")
    entity.objects.filter(detector__startswith="title:").update(
        detector=Concat(Value("civilite:"), Substr("detector", len("title:") + 1)))


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_created_authored_english_statuses")]

    operations = [migrations.RunPython(english, french)]
