import CNcursesw
import SluiceConsole

/// Decodes what `get_wch` returns into console keys.
enum CursesKeys {
    /// A key code (`KEY_CODE_YES`), or nil for codes the console ignores (KEY_RESIZE).
    static func key(code: Int32) -> Key? {
        switch code {
        case sluice_key_up(): return .up
        case sluice_key_down(): return .down
        case sluice_key_left(): return .left
        case sluice_key_right(): return .right
        case sluice_key_home(): return .home
        case sluice_key_end(): return .end
        case sluice_key_npage(): return .pageDown
        case sluice_key_ppage(): return .pageUp
        case sluice_key_backspace(): return .backspace
        case sluice_key_dc(): return .delete
        case sluice_key_enter(): return .enter
        case sluice_key_btab(): return .backTab
        case sluice_key_resize(): return nil
        default:
            for n in 1...12 where code == sluice_key_f(Int32(n)) { return .function(n) }
            return .unknown(code)
        }
    }

    /// A character: control characters become named keys.
    static func key(character value: UInt32) -> Key? {
        switch value {
        case 13, 10: return .enter
        case 27: return .escape
        case 127, 8: return .backspace
        case 9: return .tab
        case 0: return nil
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(96 + value))))
        case 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }
}
