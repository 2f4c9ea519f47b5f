#pragma once
// Test helper: a hash of everything a project holds (every row of every table, audit log
// included), so a test can assert that a failed operation left the project exactly as it was.

#include "core/store/database.h"
#include "core/store/project.h"

#include <QCryptographicHash>
#include <QStringList>

namespace annotune::testing {

inline QByteArray projectStateHash(core::store::Project &project)
{
    auto &db = project.database();
    QStringList tables;
    {
        auto st = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name");
        while (st.step())
            tables << st.text(0);
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &table : tables) {
        hash.addData(table.toUtf8());
        const QByteArray sql = QStringLiteral("SELECT * FROM \"%1\" ORDER BY rowid").arg(table).toUtf8();
        auto st = db.prepare(sql.constData());
        while (st.step())
            for (int c = 0; c < 32; ++c)
                hash.addData(st.blob(c));
    }
    return hash.result().toHex();
}

} // namespace annotune::testing
