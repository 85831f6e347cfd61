"""``/cijfers``: the anonymous figures of the coordinator's own municipalities (or, for an
administrator, of any or all), chosen with two buttons: a chart and the key figures."""
