// The second half of the partial class Shapes (partial classes across files).
namespace Meta.Basic
{
    public partial class Shapes
    {
        public static int Perimeter(int w, int h)
        {
            int p = 2 * (w + h); // @bp:perimeter
            return p;
        }
    }
}
