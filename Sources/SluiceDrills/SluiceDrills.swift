// The SluiceDrills module; see DESIGN.md §5.
