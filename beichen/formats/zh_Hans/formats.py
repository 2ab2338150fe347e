# Chinese officials read 1,389.9 亿元 with comma grouping every three digits,
# not Django's zh-hans default (no separator, grouping by four).
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
