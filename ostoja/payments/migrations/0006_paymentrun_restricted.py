from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0005_payment_due_date_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentrun",
            name="restricted",
            field=models.JSONField(
                blank=True,
                default=list,
                verbose_name="pominięte — ograniczenie przetwarzania (art. 18 RODO)",
            ),
        ),
        migrations.AddField(
            model_name="paymentrun",
            name="restricted_count",
            field=models.PositiveIntegerField(default=0, verbose_name="pominięto (art. 18 RODO)"),
        ),
    ]
