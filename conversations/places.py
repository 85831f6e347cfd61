"""Places a professional may name in a sparring question, by the municipality they lie in.

Read by kks_bot.flows.sparring.where: a question that names a municipality, one of its
villages or districts, or a 4-digit postcode of the region, and asks who or where to turn
to, gets that municipality's Knooppunt from the directory (the database), not from the
FAQ's text. The municipality's own name comes from the directory; these are the other
names: villages and districts (kernen, from the municipalities' public lists) and how
Arabic-speaking professionals write the names. Keyed by CBS code, as the directory is.
A place that is also an everyday word ("Heer", "Born", "Partij", "Gracht", "Vilt") is left
out: a wrong municipality is worse than asking.
"""

from __future__ import annotations

PLACES: dict[str, tuple[str, ...]] = {
    "GM0888": ("Genhout", "Geverik", "Neerbeek", "Spaubeek"),  # Beek
    "GM1954": ("Amstenrade", "Bingelrade", "Doenrade", "Hulsberg", "Jabeek", "Merkelbeek",
               "Nuth", "Oirsbeek", "Schimmert", "Schinnen", "Schinveld", "Sweikhuizen",
               "Vaesrade", "Wijnandsrade", "بيكدالين"),  # Beekdaelen
    "GM0899": ("Rumpen", "Treebeek", "برونسوم", "برونسم", "برنسوم"),  # Brunssum
    "GM1903": ("Eijsden", "Margraten", "Cadier en Keer", "Gronsveld", "Rijckholt", "Mesch",
               "Mheer", "Noorbeek", "Banholt", "Bemelen", "Sint Geertruid", "Oost-Maarland",
               "Eckelrade", "ايسدن", "مارخراتن"),  # Eijsden-Margraten
    "GM1729": ("Gulpen", "Wittem", "Mechelen", "Epen", "Wijlre", "Eys", "Slenaken",
               "Nijswiller", "Wahlwiller", "Reijmerstok", "خولبن", "غولبن"),  # Gulpen-Wittem
    "GM0917": ("Hoensbroek", "Heerlerheide", "Heerlerbaan", "Welten", "Meezenbroek",
               "هيرلن", "هيرلين", "هرلن"),  # Heerlen
    "GM0928": ("Eygelshoven", "Chevremont", "Terwinselen", "Spekholzerheide",
               "Bleijerheide", "Haanrade", "كيركراده", "كركراده", "كيركرادة"),  # Kerkrade
    "GM0882": ("Schaesberg", "Nieuwenhagen", "Ubach over Worms", "Waubach", "Rimburg",
               "لاندخراف", "لاندغراف", "لاندكراف"),  # Landgraaf
    "GM0935": ("Amby", "Borgharen", "Itteren", "Heugem", "Wolder", "Scharn", "Wyck",
               "Randwyck", "Malberg", "ماستريخت", "ماسترخت", "ماستريشت"),  # Maastricht
    "GM0938": ("Bunde", "Ulestraten", "Geulle", "Rothem", "Moorveld", "ميرسن"),  # Meerssen
    "GM0965": ("Bocholtz", "سيمبلفيلد"),  # Simpelveld
    "GM1883": ("Sittard", "Geleen", "Munstergeleen", "Limbricht", "Guttecoven", "Einighausen",
               "Grevenbicht", "Obbicht", "Papenhoven", "Buchten", "Holtum", "سيتارد", "خيلين",
               "غيلين"),  # Sittard-Geleen
    "GM0971": ("Elsloo", "Urmond", "Berg aan de Maas", "Nattenhoven", "شتاين",
               "ستاين"),  # Stein
    "GM0981": ("Lemiers", "Vijlen", "Holset", "فالس"),  # Vaals
    "GM0994": ("Valkenburg", "Berg en Terblijt", "Schin op Geul", "Houthem", "Sibbe",
               "Broekhem", "Walem", "فالكنبورخ", "فالكنبورغ"),  # Valkenburg aan de Geul
    "GM0986": ("Klimmen", "Ubachsberg", "Kunrade", "Ransdaal", "فورندال",
               "فوريندال"),  # Voerendaal
}

#: Words that show a question asks who or where to turn to (with a place named, the
#: answer is that municipality's Knooppunt). Matched at the start of a normalised word.
ASKS_WHO: tuple[str, ...] = (
    # nl
    "wie", "coordinator", "knooppunt", "aanmeld", "aanmeldt", "contact", "bereik",
    "terecht", "welke gemeente", "verwijz",
    # en
    "who", "whom", "register", "refer", "reach", "get in touch", "which",
    # ar
    "منسق", "المنسق", "للمنسق", "بالمنسق", "نقطه الالتقاء", "knooppunt", "تسجيل", "اسجل",
    "نسجل", "سجل", "مين", "منو", "شكون", "بمن", "لمين", "لمن", "مع من", "تواصل", "اتصل",
    "احيل", "احول", "اتوجه",
)
