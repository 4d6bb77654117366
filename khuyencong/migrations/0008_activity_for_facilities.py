"""Which activities a facility may request: all but the programme's own (reference.py)."""

from django.db import migrations, models

from khuyencong.reference import mark_programme_activities


def mark(apps, schema_editor):
    mark_programme_activities(apps)


class Migration(migrations.Migration):
    dependencies = [("khuyencong", "0007_role_commune_staff")]
    operations = [
        migrations.AddField(
            model_name="activitytype",
            name="for_facilities",
            field=models.BooleanField(
                default=True,
                help_text="Bỏ chọn với nội dung cấp chương trình (tuyên truyền, hợp tác quốc tế, "
                "quản lý đề án…): cơ sở không đăng ký nhu cầu theo nội dung đó.",
                verbose_name="cơ sở đăng ký được",
            ),
        ),
        migrations.AddField(
            model_name="historicalactivitytype",
            name="for_facilities",
            field=models.BooleanField(
                default=True,
                help_text="Bỏ chọn với nội dung cấp chương trình (tuyên truyền, hợp tác quốc tế, "
                "quản lý đề án…): cơ sở không đăng ký nhu cầu theo nội dung đó.",
                verbose_name="cơ sở đăng ký được",
            ),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
