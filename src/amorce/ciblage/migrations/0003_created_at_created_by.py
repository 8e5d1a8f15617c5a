"""Creation time under one name (``created_at``) and the uploader as ``created_by``: renamed, no data lost."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ciblage", "0002_responsable_inspection_group")]

    operations = [
        migrations.RenameField("dataset", "created", "created_at"),
        migrations.RenameField("dataset", "uploaded_by", "created_by"),
        migrations.RenameField("trainedmodel", "created", "created_at"),
        migrations.RenameField("scorelist", "created", "created_at"),
        migrations.RenameField("plan", "created", "created_at"),
        migrations.AlterModelOptions(
            name='dataset',
            options={'ordering': ['-created_at'], 'verbose_name': 'jeu de données', 'verbose_name_plural': 'jeux de données'},
        ),
        migrations.AlterModelOptions(
            name='plan',
            options={'ordering': ['-created_at'], 'verbose_name': 'plan de contrôle', 'verbose_name_plural': 'plans de contrôle'},
        ),
        migrations.AlterModelOptions(
            name='scorelist',
            options={'ordering': ['-created_at'], 'verbose_name': 'classement', 'verbose_name_plural': 'classements'},
        ),
        migrations.AlterModelOptions(
            name='trainedmodel',
            options={'ordering': ['-created_at'], 'verbose_name': 'modèle entraîné', 'verbose_name_plural': 'modèles entraînés'},
        ),
        migrations.AlterField(
            model_name='dataset',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='créé le'),
        ),
        migrations.AlterField(
            model_name='dataset',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créé par'),
        ),
        migrations.AlterField(
            model_name='plan',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='créé le'),
        ),
        migrations.AlterField(
            model_name='plan',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créé par'),
        ),
        migrations.AlterField(
            model_name='scorelist',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='créé le'),
        ),
        migrations.AlterField(
            model_name='scorelist',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créé par'),
        ),
        migrations.AlterField(
            model_name='trainedmodel',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='créé le'),
        ),
        migrations.AlterField(
            model_name='trainedmodel',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créé par'),
        ),
    ]
