"""The " 3 7 " category string is gone: 0003 copied it into the categories relation."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("asih_search", "0003_search_category_relation_and_vocabulary")]

    operations = [migrations.RemoveField(model_name="searchentry", name="category_ids")]
