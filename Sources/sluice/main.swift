import Foundation
import SluiceCLI

let code = await SluiceMain.run(Array(CommandLine.arguments.dropFirst()))
exit(code)
