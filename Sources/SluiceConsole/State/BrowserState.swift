import SluiceCore

/// The DLQ browser: facet counts, the filter, and a window of pages of the message list.
///
/// The list is paged from the backend, never loaded whole: only pages near the cursor stay in
/// memory, and every page's start cursor is remembered so scrolling back reloads what was
/// dropped. A million-message DLQ costs a few hundred rows.
public struct BrowserState: Sendable {
    /// Which panel keys go to.
    public enum Focus: Sendable, Hashable { case facets, messages }

    /// Messages per page request.
    public static let pageSize = 100
    /// Pages kept either side of the cursor's page.
    public static let pagesKeptAround = 2

    public var queue: String
    /// The queue's retention, for time-to-expiry.
    public var retention: TimeSpan
    /// Queues that dead-letter into this one.
    public var sources: [String]
    public var filter: MessageFilter
    /// Counts by error type within the age window (all types, so unselected ones stay visible).
    public var facets: FacetCounts?
    public var facetCursor = 0
    public var focus: Focus = .messages
    /// Bumped on every filter change; answers to older requests are dropped.
    public var generation = 0
    /// Loaded pages by index.
    public var pages: [Int: [MessageSummary]] = [:]
    /// The cursor that loads page `i`; page 0 starts at nil.
    public var pageStarts: [String?] = [nil]
    /// The number of rows, once the last page has been seen.
    public var endRowCount: Int?
    /// Pages requested and not answered.
    public var loading: Set<Int> = []
    /// The selected row.
    public var cursor = 0
    /// Message ids marked with `space`.
    public var marked: Set<String> = []
    /// The last error reading this DLQ.
    public var problem: String?

    /// A browser on `queue` with `filter`; call ``reload()`` for its first effects.
    public init(queue: String, retention: TimeSpan, sources: [String], filter: MessageFilter = .all) {
        self.queue = queue
        self.retention = retention
        self.sources = sources
        self.filter = filter
    }

    /// The filter for facet counts: the age window without the type selection.
    public var facetFilter: MessageFilter {
        MessageFilter(errorTypes: [], minAge: filter.minAge, maxAge: filter.maxAge)
    }

    /// Facet rows: counted types by count, plus selected types with no messages.
    public var facetRows: [(errorType: String, count: Int)] {
        var rows = facets?.ranked ?? []
        for type in filter.errorTypes.sorted() where !rows.contains(where: { $0.errorType == type }) {
            rows.append((type, 0))
        }
        return rows
    }

    /// Messages matching the whole filter, by the facet counts; nil before they load.
    public var matchingCount: Int? {
        guard let facets else { return nil }
        if filter.errorTypes.isEmpty { return facets.total }
        return facets.counts.filter { filter.errorTypes.contains($0.key) }.values.reduce(0, +)
    }

    /// How far the cursor may go: the exact count once the end is known, else the known pages.
    public var reachableRows: Int {
        endRowCount ?? pageStarts.count * BrowserState.pageSize
    }

    /// The row at `index`, if its page is loaded.
    public func row(_ index: Int) -> MessageSummary? {
        guard index >= 0 else { return nil }
        let page = index / BrowserState.pageSize, offset = index % BrowserState.pageSize
        guard let rows = pages[page], offset < rows.count else { return nil }
        return rows[offset]
    }

    /// The message under the cursor.
    public var current: MessageSummary? { row(cursor) }

    /// Drops every page and asks for facets and the page under a reset cursor.
    public mutating func reload() -> [ConsoleEffect] {
        generation += 1
        pages = [:]
        pageStarts = [nil]
        endRowCount = nil
        loading = []
        cursor = 0
        problem = nil
        return [.loadFacets(queue: queue, filter: facetFilter, generation: generation)] + ensureLoaded()
    }

    /// Re-reads facets and the cursor's page, keeping the position: the live refresh.
    public mutating func refresh() -> [ConsoleEffect] {
        var effects: [ConsoleEffect] = [.loadFacets(queue: queue, filter: facetFilter, generation: generation)]
        let page = cursor / BrowserState.pageSize
        if page < pageStarts.count, !loading.contains(page) {
            loading.insert(page)
            effects.append(request(page))
        }
        return effects
    }

    /// Requests the cursor's page and, near its end, the next one; forgets far pages.
    public mutating func ensureLoaded() -> [ConsoleEffect] {
        let page = cursor / BrowserState.pageSize
        pages = pages.filter { abs($0.key - page) <= BrowserState.pagesKeptAround }
        var effects: [ConsoleEffect] = []
        var wanted = [page]
        if cursor % BrowserState.pageSize >= BrowserState.pageSize - 20 { wanted.append(page + 1) }
        for p in wanted where pages[p] == nil && !loading.contains(p) && p < pageStarts.count {
            loading.insert(p)
            effects.append(request(p))
        }
        return effects
    }

    private func request(_ page: Int) -> ConsoleEffect {
        .loadPage(queue: queue, filter: filter, cursor: pageStarts[page], page: page, limit: BrowserState.pageSize, generation: generation)
    }

    /// Stores a loaded page and learns where the next one starts (or that this is the last).
    public mutating func receive(page: Int, messages: [MessageSummary], nextCursor: String?) -> [ConsoleEffect] {
        loading.remove(page)
        guard page < pageStarts.count else { return [] }
        pages[page] = messages
        let knownNext = page + 1 < pageStarts.count ? pageStarts[page + 1] : nil
        if let nextCursor {
            if page + 1 < pageStarts.count, knownNext != nextCursor {
                // The list shifted under us (messages left the DLQ): later pages are stale.
                pageStarts.removeSubrange((page + 1)...)
                pages = pages.filter { $0.key <= page }
            }
            if page + 1 == pageStarts.count { pageStarts.append(nextCursor) }
            if let end = endRowCount, end <= (page + 1) * BrowserState.pageSize { endRowCount = nil }
        } else {
            pageStarts.removeSubrange((page + 1)...)
            pages = pages.filter { $0.key <= page }
            endRowCount = page * BrowserState.pageSize + messages.count
        }
        if let end = endRowCount { cursor = max(0, min(cursor, end - 1)) }
        return ensureLoaded()
    }

    /// Moves the cursor by `delta` rows (clamped) and loads what it reaches.
    public mutating func move(by delta: Int) -> [ConsoleEffect] {
        let limit = max(0, reachableRows - 1)
        cursor = max(0, min(limit, cursor + delta))
        return ensureLoaded()
    }

    /// Moves the facet cursor.
    public mutating func moveFacet(by delta: Int) {
        let count = facetRows.count
        guard count > 0 else { facetCursor = 0; return }
        facetCursor = max(0, min(count - 1, facetCursor + delta))
    }

    /// Adds or removes an error type from the filter and reloads the list.
    public mutating func toggle(errorType: String) -> [ConsoleEffect] {
        if filter.errorTypes.contains(errorType) {
            filter.errorTypes.remove(errorType)
        } else {
            filter.errorTypes.insert(errorType)
        }
        return reload()
    }
}
