# Issue 19: partial index serving the register's date filter on drafts (not yet issued).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0008_care_dps_benefits'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='decision',
            index=models.Index(condition=models.Q(('issued_on__isnull', True)), fields=['drafted_at'], name='decision_draft_drafted'),
        ),
    ]
