from django.db import migrations, models


def fill_numbers(apps, schema_editor):
    """Store each list's number; a number already taken (lists that differed only by task type
    or funding used to share one) gets the next free sequence of its month and budget line."""
    PaymentList = apps.get_model("payments", "PaymentList")
    taken: set[str] = set()
    for pl in PaymentList.objects.order_by("month", "method", "chapter", "paragraph", "sequence", "pk"):
        seq = pl.sequence
        while True:
            number = f"LW/{pl.month:%Y/%m}/{pl.chapter}/{pl.paragraph}/{pl.method}/{seq}"
            if number not in taken:
                break
            seq += 1
        taken.add(number)
        # update() bypasses the frozen-list guard: the number is derived, not edited content.
        PaymentList.objects.filter(pk=pl.pk).update(number=number, sequence=seq)


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_receivable_decision_id")]

    operations = [
        migrations.AddField(
            model_name="paymentlist",
            name="number",
            field=models.CharField(editable=False, max_length=80, null=True, verbose_name="numer listy"),
        ),
        migrations.AddField(
            model_name="paymentlist",
            name="shared_account_reason",
            field=models.TextField(blank=True, verbose_name="uzasadnienie wspólnego rachunku różnych odbiorców"),
        ),
        migrations.RunPython(fill_numbers, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="paymentlist",
            name="number",
            field=models.CharField(editable=False, max_length=80, unique=True, verbose_name="numer listy"),
        ),
    ]
