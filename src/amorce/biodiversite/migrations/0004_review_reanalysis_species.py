# Reviews survive a re-analysis (archived when their media are gone); the classifier's species proposal per event.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('biodiversite', '0003_deployment_malfunctions'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='species',
            field=models.JSONField(blank=True, default=dict, verbose_name="proposition d'espèce"),
        ),
        migrations.AlterField(
            model_name='review',
            name='event',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name='reviews', to='biodiversite.event', verbose_name='événement'),
        ),
        migrations.AddField(
            model_name='review',
            name='archived_season',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name='archived_reviews', to='biodiversite.season',
                                    verbose_name='saison (relecture archivée)'),
        ),
        migrations.AddField(
            model_name='review',
            name='archived_event_id',
            field=models.CharField(blank=True, max_length=40, verbose_name='ancien événement (relecture archivée)'),
        ),
        migrations.AlterField(
            model_name='reviewchange',
            name='event',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name='review_changes', to='biodiversite.event'),
        ),
        migrations.AlterField(
            model_name='reviewchange',
            name='action',
            field=models.CharField(choices=[('creation', 'Relecture'), ('modification', 'Modification'),
                                            ('vide_en_masse', 'Confirmé vide (en masse)'), ('arbitrage', 'Arbitrage'),
                                            ('reanalyse', 'Nouvelle analyse de la saison')],
                                   max_length=20, verbose_name='action'),
        ),
    ]
