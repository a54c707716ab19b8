// The SluiceTerminal module; see DESIGN.md §2.
import CNcursesw
