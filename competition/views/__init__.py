"""Views, by audience: public (and the parents' consent link), teachers, jurors, staff, documents."""
