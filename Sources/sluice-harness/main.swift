import Foundation
import SluiceHarnessKit

// The executable is argument handling only; every check lives in SluiceHarnessKit so the test
// target can run short versions of the same code.
exit(HarnessCommandLine.main(Array(CommandLine.arguments.dropFirst())))
