// The SluiceConsole module; see DESIGN.md §2.
