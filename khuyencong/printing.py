"""What the printable documents (phiếu, tóm tắt, biên bản) share: the place named in their date
line, and the province a unit lies in."""

# The words of a unit's name that say its level, left out where the document names a place
# ("Hà Giang, ngày … tháng … năm …").
_LEVEL_WORDS = ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ")


def place_name(unit):
    """'Tỉnh Hà Giang' → 'Hà Giang'; '' for no unit."""
    if unit is None:
        return ""
    for word in _LEVEL_WORDS:
        if unit.name.startswith(word):
            return unit.name.removeprefix(word)
    return unit.name


def province_of(unit):
    """The unit at the root of the unit's tree (itself for a province): one query at most."""
    ancestors = unit.ancestors() if unit.parent_id else []
    return ancestors[0] if ancestors else unit
