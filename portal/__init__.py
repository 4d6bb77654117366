"""The project package: the URLconf and the navigation, which know every app. The apps below
it (khuyencong, the core; beneficiaries, schemes, reports, duties) never import it."""
